import { assertNever } from '@medlineage/kernel';
import type { TaxonomyEvent, TaxonomyVersionPublishedData } from './policy.events';

export type TaxonomyState =
  | { readonly status: 'unpublished' }
  | {
      readonly status: 'published';
      readonly latest: TaxonomyVersionPublishedData;
      readonly versions: readonly number[];
    };

export const initialTaxonomyState = (): TaxonomyState => ({ status: 'unpublished' });

export function evolveTaxonomy(state: TaxonomyState, event: TaxonomyEvent): TaxonomyState {
  switch (event.type) {
    case 'TaxonomyVersionPublished':
      if (state.status === 'published' && event.data.version <= state.latest.version) return state;
      return {
        status: 'published',
        latest: event.data,
        versions:
          state.status === 'published' ? [...state.versions, event.data.version] : [event.data.version],
      };
    default:
      return assertNever(event.type, 'taxonomy event');
  }
}
