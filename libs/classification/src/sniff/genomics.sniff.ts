import { byteAt, firstLines, hasBytes, type Head, u32le } from './bytes';
import { detection, type Detection } from './signal';

/*
 * Sequencing formats, after the hts-specs (https://github.com/samtools/hts-specs): SAMv1 §4.2
 * (BAM), CRAMv3 §6 (file definition), VCFv4.3 §1 and BCFv2.2 §6.
 */

/** CRAM file definition: `CRAM`, major, minor, 20-byte file id. */
function sniffCram(head: Head): Detection[] {
  const b = head.bytes;
  if (!hasBytes(b, 0, 'CRAM')) return [];
  const major = byteAt(b, 4);
  const minor = byteAt(b, 5);
  if (major < 1 || major > 4 || minor < 0 || minor > 9) return [];
  const conf = major >= 3 ? 0.97 : 0.9;
  return [
    detection('cram.magic', 'CRAM', conf, 0, `CRAM magic at 0, version ${major}.${minor}`, {
      hint: 'cram',
      rank: 2,
    }),
  ];
}

/** BAM: `BAM\1`, l_text, SAM header text (normally seen inside the first BGZF block). */
function sniffBam(head: Head): Detection[] {
  const b = head.bytes;
  if (!hasBytes(b, 0, 'BAM\x01')) return [];
  const lText = u32le(b, 4);
  const text = lText !== null && lText > 0 ? byteAt(b, 8) : -1;
  const plausible = lText !== null && lText < head.totalSize && (lText === 0 || text === 0x40); /* @ */
  return [
    detection(
      'bam.magic',
      'BAM',
      plausible ? 0.99 : 0.9,
      0,
      `BAM\\1 magic at 0${plausible ? ', SAM header follows' : ''}`,
      {
        hint: 'bam',
        rank: 2,
      },
    ),
  ];
}

/** BCF 2.x: `BCF\2` + minor; BCF 1 (samtools 0.1): `BCF\4`. The VCF header text follows. */
function sniffBcf(head: Head): Detection[] {
  const b = head.bytes;
  if (hasBytes(b, 0, 'BCF\x02') && (byteAt(b, 4) === 1 || byteAt(b, 4) === 2)) {
    const header = hasBytes(b, 9, '##fileformat=VCF');
    return [
      detection('bcf.magic', 'BCF', header ? 0.99 : 0.93, 0, `BCF\\2 magic at 0, version 2.${byteAt(b, 4)}`, {
        hint: 'bcf',
        rank: 2,
      }),
    ];
  }
  if (hasBytes(b, 0, 'BCF\x04')) {
    return [detection('bcf.v1-magic', 'BCF', 0.8, 0, 'BCF\\4 (BCF 1) magic at 0', { hint: 'bcf', rank: 2 })];
  }
  return [];
}

/** VCF: the first line must be `##fileformat=VCFv4.x`. */
function sniffVcf(head: Head): Detection[] {
  if (!hasBytes(head.bytes, 0, '##fileformat=VCFv4.')) return [];
  return [
    detection('vcf.fileformat', 'VCF', 0.99, 0, '##fileformat=VCFv4 line at 0', { hint: 'vcf', rank: 2 }),
  ];
}

const SAM_HEADER = /^@(HD|SQ|RG|PG|CO)\t/;
const SEQUENCE = /^[ACGTUNRYSWKMBDHVacgtunryswkmbdhv.*-]+$/;
const QUALITY = /^[!-~]+$/;
const CIGAR = /^(\*|([0-9]+[MIDNSHPX=])+)$/;
const UINT = /^[0-9]+$/;

/**
 * FASTQ: records of four lines `@id`, sequence, `+[id]`, quality of the sequence's length.
 * A leading `@` alone is not enough: SAM headers (`@HD\t`) and quality lines start with `@` too.
 */
function sniffFastq(head: Head): Detection[] {
  if (byteAt(head.bytes, 0) !== 0x40 || !head.isText) return [];
  const lines = firstLines(head, 33);
  if (SAM_HEADER.test(lines[0] ?? '')) return [];
  let records = 0;
  for (let i = 0; i + 3 < lines.length; i += 4) {
    const [id = '', seq = '', plus = '', qual = ''] = lines.slice(i, i + 4);
    const ok =
      id.length > 1 &&
      id.startsWith('@') &&
      SEQUENCE.test(seq) &&
      plus.startsWith('+') &&
      qual.length === seq.length &&
      QUALITY.test(qual);
    if (!ok) return [];
    records++;
  }
  if (records === 0) return [];
  return [
    detection(
      'fastq.records',
      'FASTQ',
      records > 1 ? 0.95 : 0.85,
      0,
      `${records} FASTQ record(s) (@id, sequence, +, quality of equal length) from 0`,
      {
        hint: 'fastq',
        rank: 2,
      },
    ),
  ];
}

/** SAM text: a header line (`@HD\t`…) or an alignment line with 11 typed, tab-separated fields. */
function sniffSam(head: Head): Detection[] {
  if (!head.isText) return [];
  const [first = ''] = firstLines(head, 1);
  if (SAM_HEADER.test(first)) {
    return [
      detection(
        'sam.header',
        'PLAIN_TEXT',
        first.startsWith('@HD\tVN:') ? 0.95 : 0.9,
        0,
        'SAM header line (@HD/@SQ/@RG/@PG/@CO + tab) at 0',
        {
          hint: 'sam',
          rank: 1,
        },
      ),
    ];
  }
  const f = first.split('\t');
  if (
    f.length >= 11 &&
    UINT.test(f[1] ?? '') &&
    UINT.test(f[3] ?? '') &&
    UINT.test(f[4] ?? '') &&
    CIGAR.test(f[5] ?? '') &&
    (SEQUENCE.test(f[9] ?? '') || f[9] === '*')
  ) {
    return [
      detection('sam.alignment', 'PLAIN_TEXT', 0.85, 0, 'SAM alignment line (11 typed fields) at 0', {
        hint: 'sam',
        rank: 1,
      }),
    ];
  }
  return [];
}

export function sniffGenomics(head: Head): Detection[] {
  return [
    ...sniffCram(head),
    ...sniffBam(head),
    ...sniffBcf(head),
    ...sniffVcf(head),
    ...sniffFastq(head),
    ...sniffSam(head),
  ];
}
