import type { DomainEvent } from '@medlineage/kernel';
import type { ToolVersion, VersionRef } from '../common/value-objects';
import type { DataClass, IntendedUse, ResidencyRegion } from '../common/vocabularies';

/*
 * Events of one dataset's stream (`dataset-<datasetId>`), shaped exactly like the CURRENT version
 * of `schemas/avro/events/dataset/<Type>.v<N>.avsc`.
 */

export const DATASET_EVENT_TYPES = [
  'DatasetDefined',
  'DatasetVersionCreated',
  'DatasetVersionInvalidated',
  'DatasetExportIssued',
  'DatasetConsumedByTrainingRun',
] as const;
export type DatasetEventType = (typeof DATASET_EVENT_TYPES)[number];

export interface DatasetDefinedData {
  readonly datasetId: string;
  readonly name: string;
  readonly description: string;
  readonly purpose: IntendedUse;
  readonly ownerId: string;
  readonly residency: ResidencyRegion;
  readonly governingPolicyId: string;
  readonly allowedDataClasses: readonly DataClass[];
  readonly requiresDeidentification: boolean;
}
export type DatasetDefined = DomainEvent<'DatasetDefined', DatasetDefinedData>;

/** `com.medlineage.events.dataset.DatasetManifest`. */
export interface DatasetManifest {
  readonly objectIds: readonly string[];
  readonly objectCount: number;
  readonly subjectCount: number;
  readonly totalSizeBytes: number;
  readonly manifestSha256: string;
}

export interface DatasetVersionCreatedData {
  readonly datasetId: string;
  readonly version: number;
  readonly manifest: DatasetManifest;
  readonly policy: VersionRef;
  readonly taxonomy: VersionRef;
  readonly consentCheckedAsOf: Date;
  readonly excludedByConsentCount: number;
  readonly deidentificationProfileId: string | null;
}
export type DatasetVersionCreated = DomainEvent<'DatasetVersionCreated', DatasetVersionCreatedData>;

/** `com.medlineage.events.dataset.InvalidationReason`. */
export const INVALIDATION_REASONS = [
  'CONSENT_REVOKED',
  'OBJECT_DISPOSED',
  'DEIDENTIFICATION_DEFECT',
  'POLICY_RETIRED',
  'DATA_QUALITY',
  'OTHER',
] as const;
export type InvalidationReason = (typeof INVALIDATION_REASONS)[number];

export interface DatasetVersionInvalidatedData {
  readonly datasetId: string;
  readonly version: number;
  readonly reasonCode: InvalidationReason;
  readonly affectedObjectIds: readonly string[];
  readonly affectedSubjectIds: readonly string[];
  readonly detail: string;
}
export type DatasetVersionInvalidated = DomainEvent<
  'DatasetVersionInvalidated',
  DatasetVersionInvalidatedData
>;

export interface DatasetExportIssuedData {
  readonly datasetId: string;
  readonly version: number;
  readonly exportId: string;
  readonly recipientId: string;
  readonly purpose: IntendedUse;
  readonly destinationResidency: ResidencyRegion;
  readonly dataUseAgreementRef: string;
  readonly manifestSha256: string;
  readonly expiresAt: Date | null;
}
export type DatasetExportIssued = DomainEvent<'DatasetExportIssued', DatasetExportIssuedData>;

export interface DatasetConsumedByTrainingRunData {
  readonly datasetId: string;
  readonly version: number;
  readonly trainingRunId: string;
  readonly modelId: string;
  readonly manifestSha256: string;
  readonly trainer: ToolVersion;
  readonly codeRef: string;
}
export type DatasetConsumedByTrainingRun = DomainEvent<
  'DatasetConsumedByTrainingRun',
  DatasetConsumedByTrainingRunData
>;

export type DatasetEvent =
  | DatasetDefined
  | DatasetVersionCreated
  | DatasetVersionInvalidated
  | DatasetExportIssued
  | DatasetConsumedByTrainingRun;
