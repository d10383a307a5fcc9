import { bgzf, ByteWriter, crc32, prng, utf8 } from './writer';

/** Appears wherever a real file would carry an identifier; must never leak into signals or events. */
export const CANARY = 'ZZCANARY';

const BASES = 'ACGT';
const CONTIGS = [
  { name: 'chr1', length: 248_956_422 },
  { name: 'chr2', length: 242_193_529 },
  { name: 'chrM', length: 16_569 },
] as const;

function sequence(next: () => number, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += BASES[Math.floor(next() * 4)] ?? 'N';
  return s;
}

function qualities(next: () => number, length: number): number[] {
  return Array.from({ length }, () => 20 + Math.floor(next() * 21));
}

export interface FastqOptions {
  readonly reads?: number;
  readonly readLength?: number;
  readonly seed?: number;
}

/** Illumina-style FASTQ (CASAVA 1.8 read names, Phred+33 qualities). */
export function fastq({ reads = 32, readLength = 100, seed = 7 }: FastqOptions = {}): Uint8Array {
  const next = prng(seed);
  const lines: string[] = [];
  for (let i = 0; i < reads; i++) {
    const seq = sequence(next, readLength);
    const qual = String.fromCharCode(...qualities(next, readLength).map((q) => q + 33));
    const x = 1000 + Math.floor(next() * 20000);
    const y = 1000 + Math.floor(next() * 20000);
    lines.push(`@SIM-A00123:42:HCANARYXX:1:1101:${x}:${y} 1:N:0:ACGTACGT`, seq, '+', qual);
  }
  return utf8(`${lines.join('\n')}\n`);
}

const VCF_HEADER = [
  '##fileformat=VCFv4.3',
  '##fileDate=20261120',
  '##source=medlineage-samples',
  '##reference=GRCh38',
  ...CONTIGS.map((c) => `##contig=<ID=${c.name},length=${c.length}>`),
  '##INFO=<ID=DP,Number=1,Type=Integer,Description="Total depth">',
  '##FILTER=<ID=q10,Description="Quality below 10">',
  '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
  '##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Read depth">',
  `#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t${CANARY}-SAMPLE-01`,
];

/** VCF 4.3 with one sample column and sorted SNVs on chr1. */
export function vcf({ records = 40, seed = 11 }: { records?: number; seed?: number } = {}): Uint8Array {
  const next = prng(seed);
  const lines = [...VCF_HEADER];
  let pos = 10_000;
  for (let i = 0; i < records; i++) {
    pos += 1 + Math.floor(next() * 5000);
    const ref = BASES[Math.floor(next() * 4)] ?? 'A';
    const alt = BASES.replace(ref, '')[Math.floor(next() * 3)] ?? 'C';
    const dp = 10 + Math.floor(next() * 60);
    const gt = next() < 0.5 ? '0/1' : '1/1';
    lines.push(
      `chr1\t${pos}\t.\t${ref}\t${alt}\t${(30 + next() * 60).toFixed(1)}\tPASS\tDP=${dp}\tGT:DP\t${gt}:${dp}`,
    );
  }
  return utf8(`${lines.join('\n')}\n`);
}

/** bgzipped VCF (`.vcf.gz`, tabix-indexable). */
export const vcfGz = (options?: { records?: number; seed?: number }): Uint8Array => bgzf(vcf(options));

const SAM_HEADER = [
  '@HD\tVN:1.6\tSO:coordinate',
  ...CONTIGS.map((c) => `@SQ\tSN:${c.name}\tLN:${c.length}`),
  `@RG\tID:rg1\tSM:${CANARY}-SAMPLE-01\tPL:ILLUMINA`,
  '@PG\tID:bwa\tPN:bwa\tVN:0.7.17',
].join('\n');

interface Alignment {
  readonly name: string;
  readonly pos: number;
  readonly seq: string;
  readonly qual: readonly number[];
  readonly flag: number;
}

function alignments(records: number, seed: number, readLength: number): Alignment[] {
  const next = prng(seed);
  let pos = 100_000;
  return Array.from({ length: records }, (_, i) => {
    pos += Math.floor(next() * 300);
    return {
      name: `SIM-A00123:42:HCANARYXX:1:1101:${1000 + i}:${2000 + i}`,
      pos,
      seq: sequence(next, readLength),
      qual: qualities(next, readLength),
      flag: i % 2 === 0 ? 99 : 147,
    };
  });
}

/** SAM text: header and alignment lines. */
export function sam({ records = 8, seed = 13 }: { records?: number; seed?: number } = {}): Uint8Array {
  const lines = alignments(records, seed, 50).map(
    (a) =>
      `${a.name}\t${a.flag}\tchr1\t${a.pos + 1}\t60\t${a.seq.length}M\t=\t${a.pos + 201}\t250\t${a.seq}\t${String.fromCharCode(...a.qual.map((q) => q + 33))}\tRG:Z:rg1`,
  );
  return utf8(`${SAM_HEADER}\n${lines.join('\n')}\n`);
}

/** SAM spec §5.3: the smallest bin containing [beg, end). */
function reg2bin(beg: number, endExclusive: number): number {
  const end = endExclusive - 1;
  if (beg >> 14 === end >> 14) return ((1 << 15) - 1) / 7 + (beg >> 14);
  if (beg >> 17 === end >> 17) return ((1 << 12) - 1) / 7 + (beg >> 17);
  if (beg >> 20 === end >> 20) return ((1 << 9) - 1) / 7 + (beg >> 20);
  if (beg >> 23 === end >> 23) return ((1 << 6) - 1) / 7 + (beg >> 23);
  if (beg >> 26 === end >> 26) return ((1 << 3) - 1) / 7 + (beg >> 26);
  return 0;
}

const SEQ_CODES = '=ACMGRSVTWYHKDBN';

/** BAM (SAM spec §4.2): magic, header text, references, then records, all in BGZF. */
export function bam({ records = 8, seed = 13 }: { records?: number; seed?: number } = {}): Uint8Array {
  const text = `${SAM_HEADER}\n`;
  const w = new ByteWriter().ascii('BAM\x01').i32(text.length).ascii(text).i32(CONTIGS.length);
  for (const c of CONTIGS)
    w.i32(c.name.length + 1)
      .ascii(c.name)
      .u8(0)
      .i32(c.length);
  for (const a of alignments(records, seed, 50)) {
    const packed = new Uint8Array(Math.ceil(a.seq.length / 2));
    for (let i = 0; i < a.seq.length; i++) {
      const code = SEQ_CODES.indexOf(a.seq[i] ?? 'N');
      packed[i >> 1] = (packed[i >> 1] ?? 0) | (i % 2 === 0 ? code << 4 : code);
    }
    const record = new ByteWriter()
      .i32(0) // refID
      .i32(a.pos)
      .u8(a.name.length + 1)
      .u8(60) // MAPQ
      .u16(reg2bin(a.pos, a.pos + a.seq.length))
      .u16(1) // n_cigar_op
      .u16(a.flag)
      .i32(a.seq.length)
      .i32(0) // next refID
      .i32(a.pos + 200)
      .i32(a.flag === 99 ? 250 : -250)
      .ascii(a.name)
      .u8(0)
      .u32((a.seq.length << 4) | 0) // <len>M
      .bytes(packed)
      .bytes(a.qual)
      .done();
    w.i32(record.length).bytes(record);
  }
  return bgzf(w.done());
}

/** BCF 2.2 (VCF spec §6): `BCF\2\2`, l_text, NUL-terminated VCF header, in BGZF. Header only. */
export function bcf(): Uint8Array {
  const text = `${VCF_HEADER.join('\n')}\n\0`;
  return bgzf(new ByteWriter().ascii('BCF\x02\x02').u32(text.length).ascii(text).done());
}

/** ITF-8 (CRAM spec §2.3) for values below 2^28, enough for headers. */
function itf8(v: number): number[] {
  if (v < 0x80) return [v];
  if (v < 0x4000) return [0x80 | (v >> 8), v & 0xff];
  if (v < 0x200000) return [0xc0 | (v >> 16), (v >> 8) & 0xff, v & 0xff];
  return [0xe0 | (v >> 24), (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];
}

/** The 38-byte CRAM 3 end-of-file container (CRAM spec §9). */
const CRAM_EOF = Buffer.from(
  '0f000000ffffffff0fe0454f4600000000010005bdd94f0001000606010001000100ee63014b',
  'hex',
);

/**
 * CRAM 3.1 header bytes (CRAM spec §6-§8): file definition (magic, version, 20-byte file id),
 * the SAM header container (one raw FILE_HEADER block, CRCs included), and the EOF container.
 * No data containers: enough for sniffing and header readers, not for decoding reads.
 */
export function cramHeader(): Uint8Array {
  const fileId = new Uint8Array(20);
  fileId.set(Buffer.from('sim-canary.cram', 'latin1'));
  const text = SAM_HEADER + '\n';
  const data = new ByteWriter().i32(text.length).ascii(text).done();
  const blockHead = new ByteWriter()
    .u8(0) // raw
    .u8(0) // FILE_HEADER
    .bytes(itf8(0))
    .bytes(itf8(data.length))
    .bytes(itf8(data.length))
    .bytes(data)
    .done();
  const block = new ByteWriter().bytes(blockHead).u32(crc32(blockHead)).done();
  const header = new ByteWriter()
    .i32(block.length)
    .bytes(itf8(0)) // reference sequence id
    .bytes(itf8(0)) // start
    .bytes(itf8(0)) // span
    .bytes(itf8(0)) // records
    .bytes([0]) // record counter (LTF-8)
    .bytes([0]) // bases (LTF-8)
    .bytes(itf8(1)) // blocks
    .bytes(itf8(0)) // landmarks: none
    .done();
  return new ByteWriter()
    .ascii('CRAM')
    .bytes([3, 1])
    .bytes(fileId)
    .bytes(header)
    .u32(crc32(header))
    .bytes(block)
    .bytes(CRAM_EOF)
    .done();
}
