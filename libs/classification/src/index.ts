// Content sniffing: formats from the first bytes, never from names.
export * from './sniff/signal';
export { sniff } from './sniff/sniff';
export { screenContent, MALFORMED_RULE_IDS, type ContentScreen } from './sniff/screen';
export { inflateRawCapped, type InflateOutcome } from './sniff/inflate';
export { DICOM_UIDS } from './sniff/dicom.sniff';

// Taxonomy: rules as versioned data.
export * from './taxonomy/taxonomy';
export {
  parseTaxonomy,
  validateTaxonomy,
  canonicalJson,
  TaxonomyError,
  type TaxonomyValidation,
} from './taxonomy/validate-taxonomy';
export { parseIsoDuration, durationDays, addRetention, type IsoDuration } from './taxonomy/iso-duration';
export { DEFAULT_TAXONOMY } from './taxonomy/default-taxonomy';
export { taxonomyPublication, publishTaxonomyVersion } from './taxonomy/publish';

// Classification: signals and attributes for the ClassifyObject command.
export * from './classify/classify';
export * from './classify/residency';
