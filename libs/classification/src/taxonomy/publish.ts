import type { Actor } from '@medlineage/kernel';
import {
  DATA_CLASSES,
  type PublishTaxonomyVersion,
  type TaxonomyVersionPublishedData,
} from '@medlineage/domain';
import type { Taxonomy } from './taxonomy';

/**
 * The TaxonomyVersionPublished payload for a taxonomy: its id, version and document hash, the
 * classes its rules can assign (UNKNOWN is never a final automatic class, so it is not listed),
 * its retention classes in whole days, and how many rules it has.
 */
export function taxonomyPublication(t: Taxonomy): TaxonomyVersionPublishedData {
  const assigned = new Set(t.rules.map((r) => r.then.dataClass));
  return {
    taxonomyId: t.taxonomyId,
    version: t.version,
    documentSha256: t.documentSha256,
    effectiveFrom: t.effectiveFrom,
    dataClasses: DATA_CLASSES.filter((c) => c !== 'UNKNOWN' && assigned.has(c)),
    retentionClasses: t.retentionClasses.map((r) => ({
      id: r.id,
      retainForDays: r.retainForDays,
      description: r.description,
    })),
    ruleCount: t.rules.length,
  };
}

/** The command that publishes this taxonomy version through the domain's taxonomy decider. */
export const publishTaxonomyVersion = (t: Taxonomy, at: Date, actor: Actor): PublishTaxonomyVersion => ({
  type: 'PublishTaxonomyVersion',
  ...taxonomyPublication(t),
  at,
  actor,
});
