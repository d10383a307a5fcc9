import type { Decider } from '@medlineage/kernel';
import type { TaxonomyCommand } from './policy.commands';
import type { TaxonomyEvent } from './policy.events';
import { decideTaxonomy } from './taxonomy.decide';
import { evolveTaxonomy, initialTaxonomyState, type TaxonomyState } from './taxonomy.state';

/** The classification taxonomy: an append-only sequence of published versions. */
export const taxonomyDecider: Decider<TaxonomyCommand, TaxonomyState, TaxonomyEvent> = {
  decide: decideTaxonomy,
  evolve: evolveTaxonomy,
  initialState: initialTaxonomyState,
};
