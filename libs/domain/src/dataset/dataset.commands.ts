import type { Actor } from '@medlineage/kernel';
import type { ToolVersion, VersionRef } from '../common/value-objects';
import type { DataClass, IntendedUse, ResidencyRegion } from '../common/vocabularies';
import type { InvalidationReason } from './dataset.events';

interface CommandBase {
  readonly datasetId: string;
  readonly at: Date;
  readonly actor: Actor;
}

export interface DefineDataset extends CommandBase {
  readonly type: 'DefineDataset';
  readonly name: string;
  readonly description: string;
  readonly purpose: IntendedUse;
  readonly ownerId: string;
  readonly residency: ResidencyRegion;
  readonly governingPolicyId: string;
  readonly allowedDataClasses: readonly DataClass[];
  readonly requiresDeidentification: boolean;
}

/**
 * A policy version as the application found it in `policy-<id>` when building the command:
 * `published` is null when that version was never published.
 */
export interface ReferencedPolicyVersion {
  readonly ref: VersionRef;
  readonly published: {
    readonly effectiveFrom: Date;
    readonly allowedResidencies: readonly ResidencyRegion[];
    readonly maxConsentCheckAgeHours: number;
  } | null;
}

/** A taxonomy version as found in `taxonomy-<id>`; `published` null when never published. */
export interface ReferencedTaxonomyVersion {
  readonly ref: VersionRef;
  readonly published: { readonly effectiveFrom: Date } | null;
}

export interface CreateDatasetVersion extends CommandBase {
  readonly type: 'CreateDatasetVersion';
  /** Must be the next number (last + 1); repeating an existing version with the same manifest is a no-op. */
  readonly version: number;
  readonly objectIds: readonly string[];
  readonly subjectCount: number;
  readonly totalSizeBytes: number;
  readonly manifestSha256: string;
  readonly policy: ReferencedPolicyVersion;
  readonly taxonomy: ReferencedTaxonomyVersion;
  readonly consentCheckedAsOf: Date;
  readonly excludedByConsentCount: number;
  readonly deidentificationProfileId: string | null;
}

export interface InvalidateDatasetVersion extends CommandBase {
  readonly type: 'InvalidateDatasetVersion';
  readonly version: number;
  readonly reasonCode: InvalidationReason;
  readonly affectedObjectIds: readonly string[];
  readonly affectedSubjectIds: readonly string[];
  readonly detail: string;
}

export interface IssueDatasetExport extends CommandBase {
  readonly type: 'IssueDatasetExport';
  readonly version: number;
  readonly exportId: string;
  readonly recipientId: string;
  readonly purpose: IntendedUse;
  readonly destinationResidency: ResidencyRegion;
  readonly dataUseAgreementRef: string;
  readonly expiresAt: Date | null;
}

export interface RecordTrainingRunConsumption extends CommandBase {
  readonly type: 'RecordTrainingRunConsumption';
  readonly version: number;
  readonly trainingRunId: string;
  readonly modelId: string;
  readonly trainer: ToolVersion;
  readonly codeRef: string;
}

export type DatasetCommand =
  | DefineDataset
  | CreateDatasetVersion
  | InvalidateDatasetVersion
  | IssueDatasetExport
  | RecordTrainingRunConsumption;
