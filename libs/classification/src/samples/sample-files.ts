import type { DataClass, ObjectFormat } from '@medlineage/domain';
import { clinicalNote, pdf } from './document.samples';
import {
  ccda,
  fhirNdjson,
  fhirObservationJson,
  fhirPatientJson,
  fhirPatientXml,
  hl7Adt,
  hl7Oru,
  labCsv,
  mllp,
} from './ehr.samples';
import { dicomPart10, element, elf, peStub, rawDataset, SOP_CLASSES, tar, zip } from './containers.samples';
import { bam, bcf, CANARY, cramHeader, fastq, sam, vcf, vcfGz } from './genomics.samples';
import { bgzf, ByteWriter, gzip, randomBytes, utf8 } from './writer';

/** What the pipeline should make of a sample: a data class, a review request, or a rejection at the gateway. */
export type ExpectedOutcome = DataClass | 'REVIEW' | 'REJECT';

export interface SampleFile {
  /** A plausible file name. Names are never an input to sniffing: some lie on purpose. */
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly description: string;
  readonly expected: {
    readonly format: ObjectFormat;
    readonly contentSniff: string;
    readonly dataClass: ExpectedOutcome;
  };
}

const sample = (
  name: string,
  bytes: Uint8Array,
  format: ObjectFormat,
  contentSniff: string,
  dataClass: ExpectedOutcome,
  description: string,
): SampleFile => ({ name, bytes, description, expected: { format, contentSniff, dataClass } });

/** The zip local header is 30 bytes + the entry name; the entry's data carries the rest of a DICOM file. */
function zipDicomPolyglot(): Uint8Array {
  const name = 'payload.bin';
  return zip([{ name, data: dicomPart10().subarray(30 + name.length) }]);
}

/**
 * Synthetic files with an answer key, for tests, the demo and benchmarks. Deterministic: the
 * same bytes on every call and platform. Identifiers are fake and carry the canary `ZZCANARY`.
 * Expected outcomes assume no DICOM header facts (the DICOM-shaped entries are disguises and
 * documents; real DICOM samples come from `@medlineage/dicom/synthetic`).
 */
export function sampleFiles(): SampleFile[] {
  const reads = fastq();
  const gzReads = gzip(reads, { name: `${CANARY}_PATIENT_reads.fastq` });
  const note = clinicalNote();
  return [
    sample('reads.fastq', reads, 'FASTQ', 'fastq', 'GENOMICS', 'Illumina FASTQ, 32 reads of 100 bp'),
    sample(
      'reads.fastq.gz',
      gzReads,
      'FASTQ',
      'fastq.gz',
      'GENOMICS',
      'gzip FASTQ whose gzip FNAME holds the canary',
    ),
    sample('variants.vcf', vcf(), 'VCF', 'vcf', 'GENOMICS', 'VCF 4.3, one sample column'),
    sample(
      'variants.vcf.gz',
      vcfGz(),
      'VCF',
      'vcf.gz',
      'GENOMICS',
      'bgzipped VCF (BGZF blocks and EOF marker)',
    ),
    sample(
      'variants.plain-gzip.vcf.gz',
      gzip(vcf()),
      'VCF',
      'vcf.gz',
      'GENOMICS',
      'VCF in ordinary gzip (not BGZF)',
    ),
    sample('alignments.bam', bam(), 'BAM', 'bam', 'GENOMICS', 'BAM: header, 3 references, 8 records, BGZF'),
    sample('alignments.sam', sam(), 'PLAIN_TEXT', 'sam', 'GENOMICS', 'SAM text with @HD header'),
    sample('calls.bcf', bcf(), 'BCF', 'bcf', 'GENOMICS', 'BCF 2.2 header in BGZF'),
    sample(
      'alignments.cram',
      cramHeader(),
      'CRAM',
      'cram',
      'GENOMICS',
      'CRAM 3.1 file definition, header and EOF containers',
    ),
    sample('adt-a01.hl7', hl7Adt(), 'HL7V2', 'hl7v2', 'EHR_STRUCTURED', 'HL7 v2.5.1 ADT^A01'),
    sample(
      'oru-r01.mllp',
      mllp(hl7Oru()),
      'HL7V2',
      'hl7v2-mllp',
      'EHR_STRUCTURED',
      'HL7 v2.5.1 ORU^R01 in MLLP framing',
    ),
    sample('patient.json', fhirPatientJson(), 'FHIR_JSON', 'fhir+json', 'EHR_STRUCTURED', 'FHIR R4 Patient'),
    sample(
      'observation.json',
      fhirObservationJson(),
      'FHIR_JSON',
      'fhir+json',
      'EHR_STRUCTURED',
      'FHIR R4 Observation',
    ),
    sample(
      'export.ndjson',
      fhirNdjson(),
      'FHIR_NDJSON',
      'fhir+ndjson',
      'EHR_STRUCTURED',
      'FHIR bulk export, 3 resources',
    ),
    sample(
      'patient.xml',
      fhirPatientXml(),
      'FHIR_XML',
      'fhir+xml',
      'EHR_STRUCTURED',
      'FHIR R4 Patient in XML',
    ),
    sample('ccd.xml', ccda(), 'CCDA', 'ccda', 'CLINICAL_NOTE', 'C-CDA R2.1 CCD with US Realm Header'),
    sample('report.pdf', pdf(), 'PDF', 'pdf', 'CLINICAL_NOTE', 'PDF 1.4, one page, one text line'),
    sample('note.txt', note, 'PLAIN_TEXT', 'text', 'CLINICAL_NOTE', 'radiology report as UTF-8 text'),
    sample(
      'labs.csv',
      labCsv(),
      'PLAIN_TEXT',
      'csv',
      'REVIEW',
      'lab extract as CSV: structured, no health standard',
    ),
    sample('notes.tar', tar('note.txt', note), 'ARCHIVE', 'tar', 'REVIEW', 'ustar archive holding a note'),
    sample(
      'notes.tar.gz',
      gzip(tar('note.txt', note)),
      'ARCHIVE',
      'tar.gz',
      'REVIEW',
      'gzipped ustar archive',
    ),
    sample(
      'IM000001.dcm',
      zip([{ name: 'note.txt', data: note }]),
      'ARCHIVE',
      'zip',
      'REVIEW',
      'zip archive named like a DICOM file',
    ),
    sample(
      'IM000003.dcm',
      zipDicomPolyglot(),
      'UNKNOWN',
      'conflict:dicom-part10+zip',
      'REVIEW',
      'zip/DICOM polyglot: zip header in the preamble, DICM at 128',
    ),
    sample(
      'IM000002.dcm',
      elf(),
      'UNKNOWN',
      'elf',
      'REJECT',
      'x86-64 ELF executable named like a DICOM file',
    ),
    sample(
      'IM000004.dcm',
      dicomPart10({ preamble: peStub() }),
      'UNKNOWN',
      'conflict:dicom-part10+pe',
      'REJECT',
      'PE header in the DICOM preamble (CVE-2019-11687)',
    ),
    sample(
      'scan.pdf',
      new ByteWriter().bytes(rawDataset()).bytes(pdf()).done(),
      'UNKNOWN',
      'conflict:dicom-raw+pdf',
      'REVIEW',
      'PDF behind a DICOM-looking dataset prefix',
    ),
    sample(
      'report-doc.dcm',
      dicomPart10({
        sopClassUid: SOP_CLASSES.encapsulatedPdf,
        modality: 'DOC',
        extra: [element(0x0042, 0x0011, 'OB', pdf())],
      }),
      'DICOM',
      'dicom-part10',
      'REVIEW',
      'Encapsulated PDF in DICOM: a document in imaging clothing',
    ),
    sample(
      'DICOMDIR',
      dicomPart10({ sopClassUid: SOP_CLASSES.mediaStorageDirectory, modality: 'OT' }),
      'DICOMDIR',
      'dicomdir',
      'IMAGING',
      'DICOM media directory (meta group shape only)',
    ),
    sample(
      'truncated.fastq.gz',
      gzReads.subarray(0, Math.floor(gzReads.length / 2)),
      'FASTQ',
      'fastq.gz',
      'REJECT',
      'gzip FASTQ cut in half',
    ),
    sample(
      'bgzf-truncated.vcf.gz',
      vcfGz().subarray(0, 300),
      'VCF',
      'vcf.gz',
      'REJECT',
      'BGZF VCF cut inside its first block',
    ),
    sample('empty.dat', new Uint8Array(0), 'UNKNOWN', 'empty', 'REJECT', 'zero bytes'),
    sample(
      'random.bin',
      randomBytes(4096, 42),
      'UNKNOWN',
      'unknown',
      'REVIEW',
      '4 KiB of seeded random bytes',
    ),
    sample(
      'zeros.gz',
      gzip(new Uint8Array(8 * 1024 * 1024)),
      'UNKNOWN',
      'gzip',
      'REVIEW',
      '8 MiB of zeros in 8 KiB of gzip (inflate cap)',
    ),
    sample(
      'bgzf-empty.gz',
      bgzf(new Uint8Array(0)),
      'UNKNOWN',
      'bgzf',
      'REVIEW',
      'BGZF with only its EOF block',
    ),
    sample('run.sh', utf8('#!/bin/sh\necho "export"\n'), 'PLAIN_TEXT', 'script', 'REJECT', 'shell script'),
  ];
}
