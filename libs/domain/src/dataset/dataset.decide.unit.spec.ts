import { given } from '../testing/given-when-then';
import {
  DATASET_AT,
  createDatasetVersion,
  datasetConsumedByTrainingRun,
  datasetDefined,
  datasetExportIssued,
  datasetVersionCreated,
  datasetVersionInvalidated,
  defineDataset,
  invalidateDatasetVersion,
  issueDatasetExport,
  recordTrainingRun,
} from '../testing/dataset.fixtures';
import { datasetDecider } from './dataset.decider';
import type { DatasetEvent } from './dataset.events';

const when = (history: readonly DatasetEvent[]) => given(datasetDecider, history);
const HOUR = 3_600_000;

const defined = [datasetDefined()];
const withVersion = [...defined, datasetVersionCreated()];
const invalidated = [...withVersion, datasetVersionInvalidated()];
const v2 = { version: 2, manifestSha256: 'ab'.repeat(32) };

describe('dataset decider', () => {
  describe('When undefined', () => {
    it('defines a dataset', () => {
      when([]).when(defineDataset()).then([datasetDefined()]);
    });

    it('refuses a definition without data classes or name, or with unknown residency', () => {
      when([])
        .when(defineDataset({ allowedDataClasses: [] }))
        .thenThrows('dataset.definition-invalid');
      when([])
        .when(defineDataset({ name: '  ' }))
        .thenThrows('dataset.definition-invalid');
      when([])
        .when(defineDataset({ residency: 'UNKNOWN' }))
        .thenThrows('dataset.residency-violation');
    });

    it.each([
      ['CreateDatasetVersion', createDatasetVersion()],
      ['InvalidateDatasetVersion', invalidateDatasetVersion()],
      ['IssueDatasetExport', issueDatasetExport()],
      ['RecordTrainingRunConsumption', recordTrainingRun()],
    ] as const)('refuses %s', (_, command) => {
      when([]).when(command).thenThrows('dataset.not-defined');
    });
  });

  describe('When defined, without versions', () => {
    it('treats the same definition redelivered as done and refuses a different one', () => {
      when(defined).when(defineDataset()).thenNothingHappens();
      when(defined)
        .when(defineDataset({ purpose: 'RESEARCH' }))
        .thenThrows('dataset.already-defined');
    });

    it('creates version 1 under a published policy and taxonomy with a fresh consent check', () => {
      when(defined).when(createDatasetVersion()).then([datasetVersionCreated()]);
    });

    it('numbers versions from 1 without gaps', () => {
      when(defined)
        .when(createDatasetVersion({ version: 2 }))
        .thenThrows('dataset.version-not-monotonic');
      when(defined)
        .when(createDatasetVersion({ version: 0 }))
        .thenThrows('dataset.version-not-monotonic');
    });

    it('refuses an empty manifest or one listing an object twice', () => {
      when(defined)
        .when(createDatasetVersion({ objectIds: [] }))
        .thenThrows('dataset.manifest-invalid');
      const [first] = createDatasetVersion().objectIds;
      when(defined)
        .when(createDatasetVersion({ objectIds: [first ?? '', first ?? ''] }))
        .thenThrows('dataset.manifest-invalid');
    });

    it('requires a published version of the governing policy, in effect', () => {
      const c = createDatasetVersion();
      when(defined)
        .when(createDatasetVersion({ policy: { ...c.policy, published: null } }))
        .thenThrows('dataset.policy-not-published');
      when(defined)
        .when(createDatasetVersion({ policy: { ...c.policy, ref: { id: 'another-policy', version: 3 } } }))
        .thenThrows('dataset.policy-not-published');
      const published = c.policy.published;
      if (published === null) throw new Error('fixture must be published');
      when(defined)
        .when(
          createDatasetVersion({
            policy: {
              ...c.policy,
              published: { ...published, effectiveFrom: new Date(DATASET_AT.getTime() + HOUR) },
            },
          }),
        )
        .thenThrows('dataset.policy-not-effective');
    });

    it('requires the dataset residency to be allowed by the policy', () => {
      const c = createDatasetVersion();
      const published = c.policy.published;
      if (published === null) throw new Error('fixture must be published');
      when(defined)
        .when(
          createDatasetVersion({
            policy: { ...c.policy, published: { ...published, allowedResidencies: ['EU'] } },
          }),
        )
        .thenThrows('dataset.residency-violation');
    });

    it('requires a published taxonomy version', () => {
      const c = createDatasetVersion();
      when(defined)
        .when(createDatasetVersion({ taxonomy: { ...c.taxonomy, published: null } }))
        .thenThrows('dataset.taxonomy-not-published');
    });

    it('requires a consent check no later than creation and no older than the policy allows', () => {
      when(defined)
        .when(createDatasetVersion({ consentCheckedAsOf: new Date(DATASET_AT.getTime() + 1) }))
        .thenThrows('dataset.consent-check-invalid');
      when(defined)
        .when(createDatasetVersion({ consentCheckedAsOf: new Date(DATASET_AT.getTime() - 24 * HOUR - 1) }))
        .thenThrows('dataset.consent-check-invalid');
      when(defined)
        .when(createDatasetVersion({ consentCheckedAsOf: new Date(DATASET_AT.getTime() - 24 * HOUR) }))
        .then([datasetVersionCreated({ consentCheckedAsOf: new Date(DATASET_AT.getTime() - 24 * HOUR) })]);
    });

    it('requires a de-identification profile when the dataset demands de-identification', () => {
      when(defined)
        .when(createDatasetVersion({ deidentificationProfileId: null }))
        .thenThrows('dataset.deidentification-required');
      when([datasetDefined({ requiresDeidentification: false })])
        .when(createDatasetVersion({ deidentificationProfileId: null }))
        .then([datasetVersionCreated({ deidentificationProfileId: null })]);
    });

    it('refuses to invalidate a version that does not exist', () => {
      when(defined).when(invalidateDatasetVersion()).thenThrows('dataset.version-unknown');
    });

    it('refuses exports and training runs without a version', () => {
      when(defined).when(issueDatasetExport()).thenThrows('dataset.version-unknown');
      when(defined).when(recordTrainingRun()).thenThrows('dataset.version-unknown');
    });
  });

  describe('When a valid version exists', () => {
    it('treats the same version redelivered as done and refuses another manifest under its number', () => {
      when(withVersion).when(createDatasetVersion()).thenNothingHappens();
      when(withVersion)
        .when(createDatasetVersion({ manifestSha256: 'cd'.repeat(32) }))
        .thenThrows('dataset.version-conflict');
    });

    it('creates the next version', () => {
      const manifest = { ...datasetVersionCreated().data.manifest, manifestSha256: v2.manifestSha256 };
      when(withVersion)
        .when(createDatasetVersion(v2))
        .then([datasetVersionCreated({ version: 2, manifest })]);
      when(withVersion)
        .when(createDatasetVersion({ ...v2, version: 3 }))
        .thenThrows('dataset.version-not-monotonic');
    });

    it('issues an export stamped with the version manifest', () => {
      when(withVersion).when(issueDatasetExport()).then([datasetExportIssued()]);
    });

    it('treats the same export id as done', () => {
      when([...withVersion, datasetExportIssued()])
        .when(issueDatasetExport())
        .thenNothingHappens();
    });

    it('refuses an export for another purpose, to another jurisdiction, or already expired', () => {
      when(withVersion)
        .when(issueDatasetExport({ purpose: 'COMMERCIAL_USE' }))
        .thenThrows('dataset.purpose-mismatch');
      when(withVersion)
        .when(issueDatasetExport({ destinationResidency: 'US' }))
        .thenThrows('dataset.residency-violation');
      when(withVersion)
        .when(issueDatasetExport({ expiresAt: DATASET_AT }))
        .thenThrows('dataset.export-invalid');
    });

    it('records a training run, once per run id', () => {
      when(withVersion).when(recordTrainingRun()).then([datasetConsumedByTrainingRun()]);
      when([...withVersion, datasetConsumedByTrainingRun()])
        .when(recordTrainingRun())
        .thenNothingHappens();
    });

    it('refuses training on a dataset not defined for model training', () => {
      when([datasetDefined({ purpose: 'RESEARCH' }), datasetVersionCreated()])
        .when(recordTrainingRun())
        .thenThrows('dataset.purpose-mismatch');
    });

    it('invalidates the version', () => {
      when(withVersion).when(invalidateDatasetVersion()).then([datasetVersionInvalidated()]);
    });
  });

  describe('When the version was invalidated', () => {
    it('refuses to invalidate it again', () => {
      when(invalidated).when(invalidateDatasetVersion()).thenThrows('dataset.version-already-invalidated');
    });

    it('refuses exports and training runs from it', () => {
      when(invalidated).when(issueDatasetExport()).thenThrows('dataset.version-invalidated');
      when(invalidated).when(recordTrainingRun()).thenThrows('dataset.version-invalidated');
    });

    it('still numbers the corrected version after it', () => {
      const manifest = { ...datasetVersionCreated().data.manifest, manifestSha256: v2.manifestSha256 };
      when(invalidated)
        .when(createDatasetVersion(v2))
        .then([datasetVersionCreated({ version: 2, manifest })]);
    });

    it('exports from a later valid version', () => {
      const later = [...invalidated, datasetVersionCreated({ version: 2 })];
      when(later)
        .when(issueDatasetExport({ version: 2 }))
        .then([datasetExportIssued({ version: 2 })]);
    });
  });
});
