import type { EncryptedEnvelope } from '@medlineage/kernel';
import type { BurnedInAnnotation, DisposalMethod, StorageZone } from './vocabularies';

/*
 * Value types shared by several events, one per record in `schemas/avro/common/`. Field names,
 * order of meaning and nullability match the Avro records exactly (the codec maps
 * timestamp-millis ↔ Date, bytes ↔ Uint8Array, ["null", T] ↔ T | null).
 */

/** `com.medlineage.common.ToolVersion`: a tool and its exact version. */
export interface ToolVersion {
  readonly name: string;
  readonly version: string;
}

/** `com.medlineage.common.VersionRef`: one published version of a policy or taxonomy. */
export interface VersionRef {
  readonly id: string;
  readonly version: number;
}

/**
 * `com.medlineage.common.ProtectedText`: free text that may carry PHI (a file name), kept as a
 * keyed hash plus, optionally, a copy sealed under the subject's key. Never plaintext.
 */
export interface ProtectedText {
  readonly hmacSha256: string;
  readonly sealed: EncryptedEnvelope | null;
}

/** `com.medlineage.common.ObjectLocation`: one version of an object's bytes. Keys are derived, never PHI. */
export interface ObjectLocation {
  readonly zone: StorageZone;
  readonly bucket: string;
  readonly key: string;
  readonly versionId: string | null;
}

/** `com.medlineage.common.DicomAttributes`: non-identifying header facts (no instance/study UIDs). */
export interface DicomAttributes {
  readonly sopClassUid: string;
  readonly transferSyntaxUid: string;
  readonly burnedInAnnotation: BurnedInAnnotation;
  readonly numberOfFrames: number | null;
  readonly bodyPartExamined: string | null;
  /** Pseudonymous Series Instance UID (`2.25.<keyed HMAC>`). */
  readonly seriesKey: string | null;
  /** Pseudonymous SOP Instance UID (`2.25.<keyed HMAC>`). */
  readonly instanceKey: string | null;
  readonly manufacturer: string | null;
  readonly manufacturerModelName: string | null;
  readonly stationName: string | null;
  /** Year of the study date only (full dates are sealed). */
  readonly studyYear: number | null;
}

/** `com.medlineage.common.DisposalEvidence`: what was destroyed, how, and how absence was verified. */
export interface DisposalEvidence {
  readonly method: DisposalMethod;
  readonly removedVersions: readonly ObjectLocation[];
  readonly destroyedKeyIds: readonly string[];
  readonly verifiedAbsent: boolean;
  readonly verificationMethod: string;
  readonly verifiedAt: Date;
  readonly manifestSha256: string;
  /** Second approver (pseudonymous staff id); must differ from the executing actor. */
  readonly approvedBy: string;
  readonly certificateRef: string | null;
}
