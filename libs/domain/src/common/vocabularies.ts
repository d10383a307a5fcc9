/**
 * Closed vocabularies shared by several events. Each `const` list holds exactly the symbols of
 * the Avro enum of the same name in `schemas/avro/common/` (same order), and the type is its
 * string-literal union. Adding a symbol is a schema change: add it to both places.
 */

/** `com.medlineage.common.DataClass`. UNKNOWN is never a final automatic classification. */
export const DATA_CLASSES = [
  'IMAGING',
  'GENOMICS',
  'EHR_STRUCTURED',
  'CLINICAL_NOTE',
  'MIXED',
  'UNKNOWN',
] as const;
export type DataClass = (typeof DATA_CLASSES)[number];

/** `com.medlineage.common.ObjectFormat`, from content sniffing (never the file extension). */
export const OBJECT_FORMATS = [
  'DICOM',
  'DICOMDIR',
  'FASTQ',
  'BAM',
  'CRAM',
  'VCF',
  'BCF',
  'HL7V2',
  'FHIR_JSON',
  'FHIR_NDJSON',
  'FHIR_XML',
  'CCDA',
  'PDF',
  'PLAIN_TEXT',
  'ARCHIVE',
  'UNKNOWN',
] as const;
export type ObjectFormat = (typeof OBJECT_FORMATS)[number];

/** `com.medlineage.common.Sensitivity`, after HL7 v3 Confidentiality (L, M, N, R, V). */
export const SENSITIVITIES = ['LOW', 'MODERATE', 'NORMAL', 'RESTRICTED', 'VERY_RESTRICTED'] as const;
export type Sensitivity = (typeof SENSITIVITIES)[number];

/**
 * `com.medlineage.common.IntendedUse`: what data may be used for (consent, classification,
 * datasets). Not the per-access HL7 PurposeOfUse, which is in event metadata.
 */
export const INTENDED_USES = [
  'CLINICAL_CARE',
  'QUALITY_IMPROVEMENT',
  'RESEARCH',
  'MODEL_TRAINING',
  'PUBLIC_HEALTH',
  'COMMERCIAL_USE',
] as const;
export type IntendedUse = (typeof INTENDED_USES)[number];

/** `com.medlineage.common.ResidencyRegion`: a legal jurisdiction, not a cloud region. */
export const RESIDENCY_REGIONS = ['EU', 'UK', 'US', 'CA', 'CH', 'AU', 'UNKNOWN'] as const;
export type ResidencyRegion = (typeof RESIDENCY_REGIONS)[number];

/** `com.medlineage.common.StorageTier`. */
export const STORAGE_TIERS = ['HOT', 'WARM', 'COLD'] as const;
export type StorageTier = (typeof STORAGE_TIERS)[number];

/** `com.medlineage.common.StorageZone`. */
export const STORAGE_ZONES = ['QUARANTINE', 'HOT', 'WARM', 'COLD', 'DEIDENTIFIED', 'EXPORTS'] as const;
export type StorageZone = (typeof STORAGE_ZONES)[number];

/** `com.medlineage.common.AccessType`. */
export const ACCESS_TYPES = ['VIEW', 'DOWNLOAD', 'QUERY_METADATA', 'PIPELINE_READ'] as const;
export type AccessType = (typeof ACCESS_TYPES)[number];

/** `com.medlineage.common.AccessChannel`. */
export const ACCESS_CHANNELS = ['DICOMWEB', 'REST_API', 'CLI', 'EXPORT_JOB', 'INTERNAL_PIPELINE'] as const;
export type AccessChannel = (typeof ACCESS_CHANNELS)[number];

/** `com.medlineage.common.ContentRepresentation`: what form of an object is disclosed. */
export const CONTENT_REPRESENTATIONS = [
  'METADATA_ONLY',
  'ORIGINAL',
  'DEIDENTIFIED_DERIVATIVE',
  'THUMBNAIL',
] as const;
export type ContentRepresentation = (typeof CONTENT_REPRESENTATIONS)[number];

/** `com.medlineage.common.BurnedInAnnotation` (inside DicomAttributes). Absent in the header = UNKNOWN. */
export const BURNED_IN_ANNOTATION_VALUES = ['YES', 'NO', 'UNKNOWN'] as const;
export type BurnedInAnnotation = (typeof BURNED_IN_ANNOTATION_VALUES)[number];

/** `com.medlineage.common.DisposalMethod` (inside DisposalEvidence). */
export const DISPOSAL_METHODS = ['CRYPTO_SHRED', 'DELETE_ALL_VERSIONS', 'CRYPTO_SHRED_AND_DELETE'] as const;
export type DisposalMethod = (typeof DISPOSAL_METHODS)[number];
