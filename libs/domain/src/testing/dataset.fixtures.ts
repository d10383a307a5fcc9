import type { Actor } from '@medlineage/kernel';
import type {
  CreateDatasetVersion,
  DefineDataset,
  InvalidateDatasetVersion,
  IssueDatasetExport,
  RecordTrainingRunConsumption,
} from '../dataset/dataset.commands';
import type {
  DatasetConsumedByTrainingRun,
  DatasetDefined,
  DatasetExportIssued,
  DatasetVersionCreated,
  DatasetVersionInvalidated,
} from '../dataset/dataset.events';
import { sampleEvent } from './sample-events';

export const DATASET_AT = new Date('2026-11-20T09:15:00.000Z');
export const dataSteward: Actor = { kind: 'user', id: 'staff-5e90aa' };

const defined = sampleEvent('DatasetDefined').data;
const created = sampleEvent('DatasetVersionCreated').data;
const policy = sampleEvent('PolicyVersionPublished').data;
const taxonomy = sampleEvent('TaxonomyVersionPublished').data;

export const defineDataset = (o: Partial<DefineDataset> = {}): DefineDataset => ({
  type: 'DefineDataset',
  ...defined,
  at: DATASET_AT,
  actor: dataSteward,
  ...o,
});
export const datasetDefined = (o: Partial<DatasetDefined['data']> = {}): DatasetDefined => ({
  type: 'DatasetDefined',
  data: { ...defined, ...o },
});

/** Version 1 as the application would build it, with the sample policy and taxonomy resolved as published. */
export const createDatasetVersion = (o: Partial<CreateDatasetVersion> = {}): CreateDatasetVersion => ({
  type: 'CreateDatasetVersion',
  datasetId: created.datasetId,
  version: created.version,
  objectIds: created.manifest.objectIds,
  subjectCount: created.manifest.subjectCount,
  totalSizeBytes: created.manifest.totalSizeBytes,
  manifestSha256: created.manifest.manifestSha256,
  policy: {
    ref: created.policy,
    published: {
      effectiveFrom: policy.effectiveFrom,
      allowedResidencies: policy.allowedResidencies,
      maxConsentCheckAgeHours: policy.maxConsentCheckAgeHours,
    },
  },
  taxonomy: { ref: created.taxonomy, published: { effectiveFrom: taxonomy.effectiveFrom } },
  consentCheckedAsOf: created.consentCheckedAsOf,
  excludedByConsentCount: created.excludedByConsentCount,
  deidentificationProfileId: created.deidentificationProfileId,
  at: DATASET_AT,
  actor: dataSteward,
  ...o,
});
export const datasetVersionCreated = (
  o: Partial<DatasetVersionCreated['data']> = {},
): DatasetVersionCreated => ({
  type: 'DatasetVersionCreated',
  data: { ...created, ...o },
});

const invalidated = sampleEvent('DatasetVersionInvalidated').data;
export const invalidateDatasetVersion = (
  o: Partial<InvalidateDatasetVersion> = {},
): InvalidateDatasetVersion => ({
  type: 'InvalidateDatasetVersion',
  ...invalidated,
  at: new Date('2026-11-21T14:05:00.000Z'),
  actor: { kind: 'service', id: 'svc-consent-propagation' },
  ...o,
});
export const datasetVersionInvalidated = (
  o: Partial<DatasetVersionInvalidated['data']> = {},
): DatasetVersionInvalidated => ({ type: 'DatasetVersionInvalidated', data: { ...invalidated, ...o } });

const exported = sampleEvent('DatasetExportIssued').data;
export const issueDatasetExport = (o: Partial<IssueDatasetExport> = {}): IssueDatasetExport => {
  const { manifestSha256: _fromVersion, ...fields } = exported;
  return { type: 'IssueDatasetExport', ...fields, at: DATASET_AT, actor: dataSteward, ...o };
};
export const datasetExportIssued = (o: Partial<DatasetExportIssued['data']> = {}): DatasetExportIssued => ({
  type: 'DatasetExportIssued',
  data: { ...exported, ...o },
});

const consumed = sampleEvent('DatasetConsumedByTrainingRun').data;
export const recordTrainingRun = (
  o: Partial<RecordTrainingRunConsumption> = {},
): RecordTrainingRunConsumption => {
  const { manifestSha256: _fromVersion, ...fields } = consumed;
  return {
    type: 'RecordTrainingRunConsumption',
    ...fields,
    at: DATASET_AT,
    actor: { kind: 'service', id: 'svc-training' },
    ...o,
  };
};
export const datasetConsumedByTrainingRun = (
  o: Partial<DatasetConsumedByTrainingRun['data']> = {},
): DatasetConsumedByTrainingRun => ({ type: 'DatasetConsumedByTrainingRun', data: { ...consumed, ...o } });
