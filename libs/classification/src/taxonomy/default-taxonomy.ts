import core from '../../taxonomy/medlineage-core.v1.json';
import { parseTaxonomy } from './validate-taxonomy';
import type { Taxonomy } from './taxonomy';

/**
 * `medlineage-core` v1, validated when this module loads: a broken document fails at startup
 * (and in the unit tests), never in the middle of classifying.
 */
export const DEFAULT_TAXONOMY: Taxonomy = parseTaxonomy(core);
