import type { Actor, EncryptedEnvelope, PurposeOfUse } from '@medlineage/kernel';
import type {
  DicomAttributes,
  DisposalEvidence,
  ObjectLocation,
  ProtectedText,
  ToolVersion,
  VersionRef,
} from '../common/value-objects';
import type {
  AccessChannel,
  AccessType,
  ContentRepresentation,
  DataClass,
  IntendedUse,
  ObjectFormat,
  ResidencyRegion,
  Sensitivity,
  StorageTier,
} from '../common/vocabularies';
import type {
  DeidentificationProfile,
  LegalHoldKind,
  RejectionReason,
  ReviewOutcome,
  TierChangeReason,
  TransformationKind,
} from './data-object.events';
import type { DataObjectStatus } from './data-object.state';

/** Every command carries its business time and actor; the domain never reads a clock. */
interface CommandBase {
  readonly objectId: string;
  readonly at: Date;
  readonly actor: Actor;
}

export interface IngestObject extends CommandBase {
  readonly type: 'IngestObject';
  readonly requestId: string;
  readonly gatewayId: string;
  readonly site: string;
  readonly subjectId: string | null;
  readonly studyKey: string | null;
  readonly location: ObjectLocation;
  readonly contentSha256: string;
  readonly sizeBytes: number;
  readonly originalName: ProtectedText | null;
  readonly storageTier: StorageTier;
  readonly contentSniff: string | null;
  /** Identifying attributes found in the content, already sealed under the subject's key. */
  readonly identity: EncryptedEnvelope | null;
}

export interface RejectObject extends CommandBase {
  readonly type: 'RejectObject';
  readonly requestId: string;
  readonly gatewayId: string;
  readonly site: string;
  readonly reasonCode: RejectionReason;
  readonly detail: string;
  readonly claimedSha256: string;
  readonly observedSha256: string | null;
  readonly quarantine: ObjectLocation | null;
}

/** One classifier rule's opinion about an object. */
export interface ClassificationSignal {
  readonly ruleId: string;
  readonly dataClass: DataClass;
  /** 0..1; below {@link CLASSIFICATION_CONFIDENCE_THRESHOLD} a signal is weak. */
  readonly confidence: number;
}

/** Everything about a classification except the data class, as computed from the taxonomy. */
export interface ClassificationAttributes {
  readonly format: ObjectFormat;
  readonly modality: string | null;
  readonly dicom: DicomAttributes | null;
  readonly sensitivity: Sensitivity;
  readonly phiBearing: boolean;
  readonly retentionClass: string;
  readonly retainUntil: Date;
  readonly residency: ResidencyRegion;
  readonly eligibleUses: readonly IntendedUse[];
}

export interface ClassifyObject extends CommandBase {
  readonly type: 'ClassifyObject';
  readonly taxonomy: VersionRef;
  readonly signals: readonly ClassificationSignal[];
  readonly attributes: ClassificationAttributes;
  /** Id to give the review if the signals do not settle the class. */
  readonly reviewId: string;
}

export interface ResolveClassificationReview extends CommandBase {
  readonly type: 'ResolveClassificationReview';
  readonly reviewId: string;
  readonly outcome: ReviewOutcome;
  readonly note: string;
  /** Required when outcome is CLASSIFIED, ignored otherwise. */
  readonly classification: (ClassificationAttributes & { readonly dataClass: DataClass }) | null;
}

export interface DeidentifyObject extends CommandBase {
  readonly type: 'DeidentifyObject';
  readonly derivedObjectId: string;
  readonly profile: DeidentificationProfile;
  readonly tool: ToolVersion;
  readonly patientIdentityRemoved: boolean;
  readonly uidMappingRef: string | null;
  readonly outputSha256: string;
}

/** A source of a derivation as the application found it when building the command. */
export interface DerivationSource {
  readonly objectId: string;
  readonly status: DataObjectStatus;
  readonly subjectIds: readonly string[];
}

/** Addressed to the NEW object's stream; `objectId` is the derived object's id. */
export interface CreateDerivedObject extends CommandBase {
  readonly type: 'CreateDerivedObject';
  readonly sources: readonly DerivationSource[];
  readonly transformation: TransformationKind;
  readonly tool: ToolVersion;
  readonly options: Readonly<Record<string, string>>;
  readonly location: ObjectLocation;
  readonly contentSha256: string;
  readonly sizeBytes: number;
  readonly storageTier: StorageTier;
}

export interface ChangeStorageTier extends CommandBase {
  readonly type: 'ChangeStorageTier';
  readonly toTier: StorageTier;
  readonly to: ObjectLocation;
  readonly reason: TierChangeReason;
}

export interface PlaceLegalHold extends CommandBase {
  readonly type: 'PlaceLegalHold';
  readonly holdId: string;
  readonly kind: LegalHoldKind;
  readonly matterRef: string;
}

export interface ReleaseLegalHold extends CommandBase {
  readonly type: 'ReleaseLegalHold';
  readonly holdId: string;
  readonly reason: string;
}

/** Sent by the retention scheduler; `at` is the evaluation time. */
export interface ExpireRetention extends CommandBase {
  readonly type: 'ExpireRetention';
}

export interface DisposeObject extends CommandBase {
  readonly type: 'DisposeObject';
  readonly evidence: DisposalEvidence;
}

/** An access attempt; decided as ObjectAccessed or ObjectAccessDenied (both audited). */
export interface RecordObjectAccess extends CommandBase {
  readonly type: 'RecordObjectAccess';
  readonly accessId: string;
  readonly accessType: AccessType;
  readonly representation: ContentRepresentation;
  /** The de-identified derivative to serve when representation is DEIDENTIFIED_DERIVATIVE, else null. */
  readonly derivativeObjectId: string | null;
  readonly bytesReturned: number;
  readonly purposeOfUse: PurposeOfUse;
  readonly channel: AccessChannel;
}

export type DataObjectCommand =
  | IngestObject
  | RejectObject
  | ClassifyObject
  | ResolveClassificationReview
  | DeidentifyObject
  | CreateDerivedObject
  | ChangeStorageTier
  | PlaceLegalHold
  | ReleaseLegalHold
  | ExpireRetention
  | DisposeObject
  | RecordObjectAccess;
