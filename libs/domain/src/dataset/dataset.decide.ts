import { assertNever } from '@medlineage/kernel';
import { DomainError } from '../domain-error';
import { distinct, sameValue } from '../common/same-value';
import type {
  CreateDatasetVersion,
  DatasetCommand,
  DefineDataset,
  InvalidateDatasetVersion,
  IssueDatasetExport,
  RecordTrainingRunConsumption,
} from './dataset.commands';
import type { DatasetDefinedData, DatasetEvent } from './dataset.events';
import { datasetVersion, type DatasetState, type DatasetVersionState } from './dataset.state';

type Defined = Extract<DatasetState, { readonly status: 'defined' }>;

const HOUR_MS = 3_600_000;

/**
 * Dataset rules:
 * - A definition is immutable; defining again with identical terms is a no-op.
 * - Versions are numbered 1, 2, 3… with no gaps; each cites a PUBLISHED, in-effect version of the
 *   dataset's governing policy and a published taxonomy version, and a consent check no later
 *   than its creation and no older than the policy allows. Datasets that require de-identification
 *   must name the profile. The manifest lists distinct object ids.
 * - Invalidation is final per version; invalidating an unknown or already invalid version is refused.
 * - Exports and training runs only read a valid version, for the dataset's own purpose; exports
 *   stay in the dataset's jurisdiction. Repeated export/run ids are no-ops.
 */
export function decideDataset(command: DatasetCommand, state: DatasetState): DatasetEvent[] {
  switch (command.type) {
    case 'DefineDataset':
      return define(command, state);
    case 'CreateDatasetVersion':
      return createVersion(command, requireDefined(command.datasetId, state));
    case 'InvalidateDatasetVersion':
      return invalidate(command, requireDefined(command.datasetId, state));
    case 'IssueDatasetExport':
      return issueExport(command, requireDefined(command.datasetId, state));
    case 'RecordTrainingRunConsumption':
      return recordTrainingRun(command, requireDefined(command.datasetId, state));
    default:
      return assertNever(command, 'dataset command');
  }
}

function define(c: DefineDataset, state: DatasetState): DatasetEvent[] {
  const definition: DatasetDefinedData = {
    datasetId: c.datasetId,
    name: c.name,
    description: c.description,
    purpose: c.purpose,
    ownerId: c.ownerId,
    residency: c.residency,
    governingPolicyId: c.governingPolicyId,
    allowedDataClasses: distinct(c.allowedDataClasses),
    requiresDeidentification: c.requiresDeidentification,
  };
  if (state.status === 'defined') {
    if (sameValue(state.definition, definition)) return [];
    throw new DomainError('dataset.already-defined', `dataset ${c.datasetId} is already defined differently`);
  }
  if (definition.allowedDataClasses.length === 0 || definition.name.trim() === '') {
    throw new DomainError(
      'dataset.definition-invalid',
      `dataset ${c.datasetId} needs a name and data classes`,
    );
  }
  if (definition.residency === 'UNKNOWN') {
    throw new DomainError('dataset.residency-violation', `dataset ${c.datasetId} needs a known jurisdiction`);
  }
  return [{ type: 'DatasetDefined', data: definition }];
}

function createVersion(c: CreateDatasetVersion, state: Defined): DatasetEvent[] {
  const existing = datasetVersion(state, c.version);
  if (existing !== undefined) {
    if (existing.created.manifest.manifestSha256 === c.manifestSha256) return [];
    throw new DomainError(
      'dataset.version-conflict',
      `version ${c.version} of ${c.datasetId} has another manifest`,
    );
  }
  const next = state.versions.length + 1;
  if (c.version !== next) {
    throw new DomainError(
      'dataset.version-not-monotonic',
      `next version of ${c.datasetId} is ${next}, not ${c.version}`,
    );
  }
  if (c.objectIds.length === 0 || distinct(c.objectIds).length !== c.objectIds.length) {
    throw new DomainError('dataset.manifest-invalid', `manifest must list distinct objects, at least one`);
  }
  const { definition } = state;
  const policy = c.policy.published;
  if (policy === null || c.policy.ref.id !== definition.governingPolicyId) {
    throw new DomainError(
      'dataset.policy-not-published',
      `policy ${c.policy.ref.id} v${c.policy.ref.version} is not a published version of ${definition.governingPolicyId}`,
    );
  }
  if (policy.effectiveFrom.getTime() > c.at.getTime()) {
    throw new DomainError(
      'dataset.policy-not-effective',
      `policy v${c.policy.ref.version} is not yet in effect`,
    );
  }
  if (!policy.allowedResidencies.includes(definition.residency)) {
    throw new DomainError(
      'dataset.residency-violation',
      `policy does not allow residency ${definition.residency}`,
    );
  }
  if (c.taxonomy.published === null) {
    throw new DomainError(
      'dataset.taxonomy-not-published',
      `taxonomy ${c.taxonomy.ref.id} v${c.taxonomy.ref.version}`,
    );
  }
  const checkAge = c.at.getTime() - c.consentCheckedAsOf.getTime();
  if (checkAge < 0 || checkAge > policy.maxConsentCheckAgeHours * HOUR_MS) {
    throw new DomainError(
      'dataset.consent-check-invalid',
      `consent checked as of ${c.consentCheckedAsOf.toISOString()} is in the future or older than ${policy.maxConsentCheckAgeHours} h`,
    );
  }
  if (definition.requiresDeidentification && c.deidentificationProfileId === null) {
    throw new DomainError(
      'dataset.deidentification-required',
      `dataset ${c.datasetId} requires de-identification`,
    );
  }
  return [
    {
      type: 'DatasetVersionCreated',
      data: {
        datasetId: c.datasetId,
        version: c.version,
        manifest: {
          objectIds: c.objectIds,
          objectCount: c.objectIds.length,
          subjectCount: c.subjectCount,
          totalSizeBytes: c.totalSizeBytes,
          manifestSha256: c.manifestSha256,
        },
        policy: c.policy.ref,
        taxonomy: c.taxonomy.ref,
        consentCheckedAsOf: c.consentCheckedAsOf,
        excludedByConsentCount: c.excludedByConsentCount,
        deidentificationProfileId: c.deidentificationProfileId,
      },
    },
  ];
}

function invalidate(c: InvalidateDatasetVersion, state: Defined): DatasetEvent[] {
  const version = datasetVersion(state, c.version);
  if (version === undefined) {
    throw new DomainError('dataset.version-unknown', `dataset ${c.datasetId} has no version ${c.version}`);
  }
  if (version.invalidation !== null) {
    throw new DomainError('dataset.version-already-invalidated', `version ${c.version} is already invalid`);
  }
  return [
    {
      type: 'DatasetVersionInvalidated',
      data: {
        datasetId: c.datasetId,
        version: c.version,
        reasonCode: c.reasonCode,
        affectedObjectIds: c.affectedObjectIds,
        affectedSubjectIds: c.affectedSubjectIds,
        detail: c.detail,
      },
    },
  ];
}

function issueExport(c: IssueDatasetExport, state: Defined): DatasetEvent[] {
  if (state.exportIds.includes(c.exportId)) return [];
  const version = requireValidVersion(state, c.datasetId, c.version);
  const { definition } = state;
  if (c.purpose !== definition.purpose) {
    throw new DomainError(
      'dataset.purpose-mismatch',
      `dataset ${c.datasetId} serves ${definition.purpose} only`,
    );
  }
  if (c.destinationResidency !== definition.residency) {
    throw new DomainError(
      'dataset.residency-violation',
      `dataset ${c.datasetId} must stay in ${definition.residency}`,
    );
  }
  if (c.expiresAt !== null && c.expiresAt.getTime() <= c.at.getTime()) {
    throw new DomainError('dataset.export-invalid', `export ${c.exportId} would already be expired`);
  }
  return [
    {
      type: 'DatasetExportIssued',
      data: {
        datasetId: c.datasetId,
        version: c.version,
        exportId: c.exportId,
        recipientId: c.recipientId,
        purpose: c.purpose,
        destinationResidency: c.destinationResidency,
        dataUseAgreementRef: c.dataUseAgreementRef,
        manifestSha256: version.created.manifest.manifestSha256,
        expiresAt: c.expiresAt,
      },
    },
  ];
}

function recordTrainingRun(c: RecordTrainingRunConsumption, state: Defined): DatasetEvent[] {
  if (state.trainingRunIds.includes(c.trainingRunId)) return [];
  const version = requireValidVersion(state, c.datasetId, c.version);
  if (state.definition.purpose !== 'MODEL_TRAINING') {
    throw new DomainError('dataset.purpose-mismatch', `dataset ${c.datasetId} is not for model training`);
  }
  return [
    {
      type: 'DatasetConsumedByTrainingRun',
      data: {
        datasetId: c.datasetId,
        version: c.version,
        trainingRunId: c.trainingRunId,
        modelId: c.modelId,
        manifestSha256: version.created.manifest.manifestSha256,
        trainer: c.trainer,
        codeRef: c.codeRef,
      },
    },
  ];
}

function requireDefined(datasetId: string, state: DatasetState): Defined {
  if (state.status === 'undefined')
    throw new DomainError('dataset.not-defined', `dataset ${datasetId} is not defined`);
  return state;
}

function requireValidVersion(state: Defined, datasetId: string, versionNumber: number): DatasetVersionState {
  const version = datasetVersion(state, versionNumber);
  if (version === undefined) {
    throw new DomainError('dataset.version-unknown', `dataset ${datasetId} has no version ${versionNumber}`);
  }
  if (version.invalidation !== null) {
    throw new DomainError('dataset.version-invalidated', `version ${versionNumber} was invalidated`);
  }
  return version;
}
