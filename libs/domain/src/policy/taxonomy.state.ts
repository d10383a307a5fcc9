import { assertNever } from '@medlineage/kernel';
import type { TaxonomyEvent, TaxonomyVersionPublishedData } from './policy.events';
import { publishVersion, type VersionedDocumentState } from './versioned-document.state';

export type TaxonomyState = VersionedDocumentState<TaxonomyVersionPublishedData>;

export const initialTaxonomyState = (): TaxonomyState => ({ status: 'unpublished' });

export function evolveTaxonomy(state: TaxonomyState, event: TaxonomyEvent): TaxonomyState {
  switch (event.type) {
    case 'TaxonomyVersionPublished':
      return publishVersion(state, event.data);
    default:
      return assertNever(event.type, 'taxonomy event');
  }
}
