// Deterministic synthetic files for tests, the demo and benchmarks (@medlineage/classification/samples).
export * from './sample-files';
export { fastq, vcf, vcfGz, sam, bam, bcf, cramHeader, CANARY, type FastqOptions } from './genomics.samples';
export {
  hl7Adt,
  hl7Oru,
  mllp,
  fhirPatientJson,
  fhirObservationJson,
  fhirNdjson,
  fhirPatientXml,
  ccda,
  labCsv,
} from './ehr.samples';
export { clinicalNote, pdf } from './document.samples';
export {
  zip,
  tar,
  elf,
  peStub,
  element,
  dicomPart10,
  rawDataset,
  SOP_CLASSES,
  EXPLICIT_VR_LITTLE_ENDIAN,
  type DicomShapeOptions,
} from './containers.samples';
export { gzip, bgzf, crc32, randomBytes, prng, ByteWriter, utf8 } from './writer';
