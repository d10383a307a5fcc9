import type { DomainEvent, EncryptedEnvelope, PurposeOfUse } from '@medlineage/kernel';
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

/*
 * Events of one data object's stream (`object-<objectId>`), each shaped exactly like the CURRENT
 * version of `schemas/avro/events/data-object/<Type>.v<N>.avsc`.
 */

export const DATA_OBJECT_EVENT_TYPES = [
  'ObjectIngested',
  'ObjectRejected',
  'ObjectClassified',
  'ClassificationReviewRequested',
  'ClassificationReviewResolved',
  'ObjectDeidentified',
  'DerivedObjectCreated',
  'ObjectTierChanged',
  'LegalHoldPlaced',
  'LegalHoldReleased',
  'RetentionExpired',
  'ObjectDisposed',
  'ObjectAccessed',
  'ObjectAccessDenied',
] as const;
export type DataObjectEventType = (typeof DATA_OBJECT_EVENT_TYPES)[number];

/** ObjectIngested v3. v2 had `sha256` (renamed); v1 also lacked `contentSniff`. */
export interface ObjectIngestedData {
  readonly objectId: string;
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
  /** Identifying attributes sealed under the subject's key; null when the content has none. */
  readonly identity: EncryptedEnvelope | null;
}
export type ObjectIngested = DomainEvent<'ObjectIngested', ObjectIngestedData>;

/** `com.medlineage.events.dataObject.RejectionReason`. */
export const REJECTION_REASONS = [
  'CHECKSUM_MISMATCH',
  'SIZE_MISMATCH',
  'SIZE_LIMIT_EXCEEDED',
  'UNSUPPORTED_FORMAT',
  'MALFORMED_CONTENT',
  'EXECUTABLE_CONTENT',
  'UNKNOWN_SITE',
  'OBJECT_MISSING',
  'MESSAGE_UNREADABLE',
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

export interface ObjectRejectedData {
  readonly objectId: string;
  readonly requestId: string;
  readonly gatewayId: string;
  readonly site: string;
  readonly reasonCode: RejectionReason;
  /** Non-PHI, from a fixed vocabulary. */
  readonly detail: string;
  readonly claimedSha256: string;
  readonly observedSha256: string | null;
  readonly quarantine: ObjectLocation | null;
}
export type ObjectRejected = DomainEvent<'ObjectRejected', ObjectRejectedData>;

/** `com.medlineage.events.dataObject.ClassificationBasis`. */
export const CLASSIFICATION_BASES = ['RULES', 'MANUAL_REVIEW'] as const;
export type ClassificationBasis = (typeof CLASSIFICATION_BASES)[number];

/** ObjectClassified v2. v1 had `residency` as free text (see upcasters). */
export interface ObjectClassifiedData {
  readonly objectId: string;
  readonly taxonomy: VersionRef;
  readonly basis: ClassificationBasis;
  readonly reviewId: string | null;
  readonly dataClass: DataClass;
  readonly format: ObjectFormat;
  readonly modality: string | null;
  readonly dicom: DicomAttributes | null;
  readonly sensitivity: Sensitivity;
  readonly phiBearing: boolean;
  readonly retentionClass: string;
  readonly retainUntil: Date;
  readonly residency: ResidencyRegion;
  readonly eligibleUses: readonly IntendedUse[];
  readonly matchedRuleIds: readonly string[];
}
export type ObjectClassified = DomainEvent<'ObjectClassified', ObjectClassifiedData>;

/** `com.medlineage.events.dataObject.ReviewReason`. */
export const REVIEW_REASONS = ['CONFLICTING_SIGNALS', 'LOW_CONFIDENCE', 'NO_MATCHING_RULE'] as const;
export type ReviewReason = (typeof REVIEW_REASONS)[number];

export interface ClassificationReviewRequestedData {
  readonly objectId: string;
  readonly reviewId: string;
  readonly taxonomy: VersionRef;
  readonly reasonCode: ReviewReason;
  readonly candidateClasses: readonly DataClass[];
  readonly signalRuleIds: readonly string[];
  readonly detail: string;
}
export type ClassificationReviewRequested = DomainEvent<
  'ClassificationReviewRequested',
  ClassificationReviewRequestedData
>;

/** `com.medlineage.events.dataObject.ReviewOutcome`. */
export const REVIEW_OUTCOMES = ['CLASSIFIED', 'QUARANTINED'] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];

export interface ClassificationReviewResolvedData {
  readonly objectId: string;
  readonly reviewId: string;
  readonly outcome: ReviewOutcome;
  readonly note: string;
}
export type ClassificationReviewResolved = DomainEvent<
  'ClassificationReviewResolved',
  ClassificationReviewResolvedData
>;

/** `com.medlineage.events.dataObject.DeidentificationProfile`. */
export interface DeidentificationProfile {
  readonly profileId: string;
  readonly profileVersion: string;
  readonly standardEdition: string;
  /** CID 7050 codes, e.g. '113100' (Basic Application Confidentiality Profile). */
  readonly methodCodes: readonly string[];
  readonly options: Readonly<Record<string, string>>;
}

export interface ObjectDeidentifiedData {
  readonly objectId: string;
  readonly derivedObjectId: string;
  readonly profile: DeidentificationProfile;
  readonly tool: ToolVersion;
  readonly patientIdentityRemoved: boolean;
  readonly uidMappingRef: string | null;
  readonly outputSha256: string;
}
export type ObjectDeidentified = DomainEvent<'ObjectDeidentified', ObjectDeidentifiedData>;

/** `com.medlineage.events.dataObject.TransformationKind`. */
export const TRANSFORMATION_KINDS = [
  'DEIDENTIFICATION',
  'FORMAT_CONVERSION',
  'ALIGNMENT',
  'VARIANT_CALLING',
  'SEGMENTATION',
  'EXTRACTION',
  'AGGREGATION',
  'OTHER',
] as const;
export type TransformationKind = (typeof TRANSFORMATION_KINDS)[number];

export interface DerivedObjectCreatedData {
  readonly objectId: string;
  readonly derivedFrom: readonly string[];
  readonly transformation: TransformationKind;
  readonly tool: ToolVersion;
  readonly options: Readonly<Record<string, string>>;
  readonly subjectIds: readonly string[];
  readonly location: ObjectLocation;
  readonly contentSha256: string;
  readonly sizeBytes: number;
  readonly storageTier: StorageTier;
}
export type DerivedObjectCreated = DomainEvent<'DerivedObjectCreated', DerivedObjectCreatedData>;

/** `com.medlineage.events.dataObject.TierChangeReason`. */
export const TIER_CHANGE_REASONS = ['LIFECYCLE_POLICY', 'RESTORE_REQUEST', 'MANUAL'] as const;
export type TierChangeReason = (typeof TIER_CHANGE_REASONS)[number];

export interface ObjectTierChangedData {
  readonly objectId: string;
  readonly fromTier: StorageTier;
  readonly toTier: StorageTier;
  readonly from: ObjectLocation;
  readonly to: ObjectLocation;
  readonly reason: TierChangeReason;
}
export type ObjectTierChanged = DomainEvent<'ObjectTierChanged', ObjectTierChangedData>;

/** `com.medlineage.events.dataObject.LegalHoldKind`. */
export const LEGAL_HOLD_KINDS = [
  'LITIGATION',
  'REGULATORY_INQUIRY',
  'INTERNAL_INVESTIGATION',
  'PUBLIC_RECORDS',
] as const;
export type LegalHoldKind = (typeof LEGAL_HOLD_KINDS)[number];

export interface LegalHoldPlacedData {
  readonly objectId: string;
  readonly holdId: string;
  readonly kind: LegalHoldKind;
  readonly matterRef: string;
}
export type LegalHoldPlaced = DomainEvent<'LegalHoldPlaced', LegalHoldPlacedData>;

export interface LegalHoldReleasedData {
  readonly objectId: string;
  readonly holdId: string;
  readonly reason: string;
}
export type LegalHoldReleased = DomainEvent<'LegalHoldReleased', LegalHoldReleasedData>;

export interface RetentionExpiredData {
  readonly objectId: string;
  readonly retentionClass: string;
  readonly retainUntil: Date;
}
export type RetentionExpired = DomainEvent<'RetentionExpired', RetentionExpiredData>;

export interface ObjectDisposedData {
  readonly objectId: string;
  readonly evidence: DisposalEvidence;
}
export type ObjectDisposed = DomainEvent<'ObjectDisposed', ObjectDisposedData>;

/** ObjectAccessed v2. v1 lacked `channel`. */
export interface ObjectAccessedData {
  readonly objectId: string;
  readonly accessId: string;
  readonly accessType: AccessType;
  readonly returned: ContentRepresentation;
  readonly derivativeObjectId: string | null;
  readonly bytesReturned: number;
  readonly purposeOfUse: PurposeOfUse;
  /** Null only for accesses recorded before v2. */
  readonly channel: AccessChannel | null;
}
export type ObjectAccessed = DomainEvent<'ObjectAccessed', ObjectAccessedData>;

/** `com.medlineage.events.dataObject.AccessDenialReason`. */
export const ACCESS_DENIAL_REASONS = [
  'OBJECT_DISPOSED',
  'OBJECT_REJECTED',
  'OBJECT_QUARANTINED',
  'NOT_YET_CLASSIFIED',
  'DEIDENTIFIED_CONTENT_REQUIRED',
] as const;
export type AccessDenialReason = (typeof ACCESS_DENIAL_REASONS)[number];

export interface ObjectAccessDeniedData {
  readonly objectId: string;
  readonly accessId: string;
  readonly accessType: AccessType;
  readonly requested: ContentRepresentation;
  readonly purposeOfUse: PurposeOfUse;
  readonly channel: AccessChannel;
  readonly reasonCode: AccessDenialReason;
}
export type ObjectAccessDenied = DomainEvent<'ObjectAccessDenied', ObjectAccessDeniedData>;

export type DataObjectEvent =
  | ObjectIngested
  | ObjectRejected
  | ObjectClassified
  | ClassificationReviewRequested
  | ClassificationReviewResolved
  | ObjectDeidentified
  | DerivedObjectCreated
  | ObjectTierChanged
  | LegalHoldPlaced
  | LegalHoldReleased
  | RetentionExpired
  | ObjectDisposed
  | ObjectAccessed
  | ObjectAccessDenied;
