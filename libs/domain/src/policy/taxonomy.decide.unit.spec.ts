import { given } from '../testing/given-when-then';
import { sampleEvent } from '../testing/sample-events';
import type { PublishTaxonomyVersion } from './policy.commands';
import type { TaxonomyVersionPublished } from './policy.events';
import { taxonomyDecider } from './taxonomy.decider';

const v4: TaxonomyVersionPublished = sampleEvent('TaxonomyVersionPublished');
const publish = (o: Partial<PublishTaxonomyVersion> = {}): PublishTaxonomyVersion => ({
  type: 'PublishTaxonomyVersion',
  ...v4.data,
  at: new Date('2026-08-25T10:00:00.000Z'),
  actor: { kind: 'user', id: 'staff-taxonomist-02' },
  ...o,
});

describe('taxonomy decider', () => {
  describe('When unpublished', () => {
    it('publishes a first version', () => {
      given(taxonomyDecider).when(publish()).then([v4]);
    });

    it('refuses a taxonomy without classes, with duplicate or non-positive retention classes', () => {
      given(taxonomyDecider)
        .when(publish({ dataClasses: [] }))
        .thenThrows('taxonomy.definition-invalid');
      const [imaging] = v4.data.retentionClasses;
      if (imaging === undefined) throw new Error('sample must define retention classes');
      given(taxonomyDecider)
        .when(publish({ retentionClasses: [imaging, imaging] }))
        .thenThrows('taxonomy.definition-invalid');
      given(taxonomyDecider)
        .when(publish({ retentionClasses: [{ ...imaging, retainForDays: 0 }] }))
        .thenThrows('taxonomy.definition-invalid');
    });

    it('refuses version numbers below 1', () => {
      given(taxonomyDecider)
        .when(publish({ version: 0 }))
        .thenThrows('taxonomy.version-not-increasing');
    });
  });

  describe('When a version is published', () => {
    it('treats the same version and document as done', () => {
      given(taxonomyDecider, [v4]).when(publish()).thenNothingHappens();
    });

    it('publishes a higher version and refuses a lower one or a conflicting document', () => {
      const v5 = { version: 5, documentSha256: '5b'.repeat(32) };
      given(taxonomyDecider, [v4])
        .when(publish(v5))
        .then([{ type: 'TaxonomyVersionPublished', data: { ...v4.data, ...v5 } }]);
      given(taxonomyDecider, [v4])
        .when(publish({ ...v5, version: 3 }))
        .thenThrows('taxonomy.version-not-increasing');
      given(taxonomyDecider, [v4])
        .when(publish({ documentSha256: '5b'.repeat(32) }))
        .thenThrows('taxonomy.version-conflict');
    });
  });
});
