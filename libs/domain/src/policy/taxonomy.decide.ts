import { assertNever } from '@medlineage/kernel';
import { DomainError } from '../domain-error';
import { distinct } from '../common/same-value';
import type { PublishTaxonomyVersion, TaxonomyCommand } from './policy.commands';
import type { TaxonomyEvent, TaxonomyVersionPublishedData } from './policy.events';
import type { TaxonomyState } from './taxonomy.state';

/**
 * Taxonomy rules: versions strictly increase (same latest version and document = no-op); each
 * version assigns at least one class and defines uniquely named retention classes with positive
 * periods, which is what classifiers compute `retainUntil` from.
 */
export function decideTaxonomy(command: TaxonomyCommand, state: TaxonomyState): TaxonomyEvent[] {
  switch (command.type) {
    case 'PublishTaxonomyVersion':
      return publish(command, state);
    default:
      return assertNever(command.type, 'taxonomy command');
  }
}

function publish(c: PublishTaxonomyVersion, state: TaxonomyState): TaxonomyEvent[] {
  if (state.status === 'published') {
    const { latest } = state;
    if (c.version === latest.version && c.documentSha256 === latest.documentSha256) return [];
    if (state.versions.includes(c.version)) {
      throw new DomainError(
        'taxonomy.version-conflict',
        `taxonomy ${c.taxonomyId} v${c.version} has another document`,
      );
    }
    if (c.version < latest.version) {
      throw new DomainError(
        'taxonomy.version-not-increasing',
        `taxonomy ${c.taxonomyId} is at v${latest.version}`,
      );
    }
  } else if (c.version < 1) {
    throw new DomainError('taxonomy.version-not-increasing', `taxonomy versions start at 1`);
  }
  const retentionIds = c.retentionClasses.map((r) => r.id);
  if (
    c.dataClasses.length === 0 ||
    distinct(retentionIds).length !== retentionIds.length ||
    c.retentionClasses.some((r) => !Number.isInteger(r.retainForDays) || r.retainForDays <= 0)
  ) {
    throw new DomainError(
      'taxonomy.definition-invalid',
      `taxonomy ${c.taxonomyId} v${c.version} needs classes and unique, positive retention classes`,
    );
  }
  const data: TaxonomyVersionPublishedData = {
    taxonomyId: c.taxonomyId,
    version: c.version,
    documentSha256: c.documentSha256,
    effectiveFrom: c.effectiveFrom,
    dataClasses: distinct(c.dataClasses),
    retentionClasses: c.retentionClasses,
    ruleCount: c.ruleCount,
  };
  return [{ type: 'TaxonomyVersionPublished', data }];
}
