import { crc32 as zlibCrc32, gunzipSync, inflateRawSync } from 'node:zlib';
import {
  bam,
  bcf,
  bgzf,
  CANARY,
  ccda,
  cramHeader,
  crc32,
  fastq,
  fhirNdjson,
  fhirPatientJson,
  gzip,
  hl7Adt,
  pdf,
  randomBytes,
  sampleFiles,
  tar,
  utf8,
  vcf,
  vcfGz,
  zip,
} from '.';
import { BGZF_EOF } from '../sniff/gzip.sniff';

const text = (b: Uint8Array): string => Buffer.from(b).toString('latin1');

/** Splits BGZF into blocks by their BSIZE, checking each header on the way. */
function bgzfBlocks(b: Uint8Array): { size: number; data: Buffer }[] {
  const buf = Buffer.from(b);
  const blocks: { size: number; data: Buffer }[] = [];
  for (let at = 0; at < buf.length;) {
    expect([...buf.subarray(at, at + 4)]).toEqual([0x1f, 0x8b, 8, 4]);
    expect(buf.readUInt16LE(at + 10)).toBe(6);
    expect(text(buf.subarray(at + 12, at + 14))).toBe('BC');
    const size = buf.readUInt16LE(at + 16) + 1;
    const data = inflateRawSync(buf.subarray(at + 18, at + size - 8));
    expect(buf.readUInt32LE(at + size - 4)).toBe(data.length);
    expect(buf.readUInt32LE(at + size - 8)).toBe(zlibCrc32(data));
    blocks.push({ size, data });
    at += size;
  }
  return blocks;
}

describe('samples', () => {
  it('are deterministic', () => {
    const a = sampleFiles();
    const b = sampleFiles();
    expect(a.map((f) => f.name)).toEqual(b.map((f) => f.name));
    a.forEach((f, i) =>
      expect(Buffer.from(f.bytes).equals(Buffer.from(b[i]?.bytes ?? new Uint8Array(1)))).toBe(true),
    );
    expect(new Set(a.map((f) => f.name)).size).toBe(a.length);
  });

  it('compute CRC-32 like zlib', () => {
    for (const b of [new Uint8Array(0), utf8('123456789'), randomBytes(10_000, 5)])
      expect(crc32(b)).toBe(zlibCrc32(b));
  });

  it('write gzip that gunzip reads, with FNAME when asked', () => {
    const data = fastq();
    const gz = gzip(data, { name: 'x.fastq' });
    expect(gunzipSync(gz).equals(Buffer.from(data))).toBe(true);
    expect(gz[3]).toBe(0x08);
    expect(text(gz.subarray(10, 18))).toBe('x.fastq\0');
  });

  it('write BGZF: blocks of at most 64 KiB with BC subfields, the EOF block last, readable by gunzip', () => {
    const data = fastq({ reads: 1500 });
    const blocked = bgzf(data);
    const blocks = bgzfBlocks(blocked);
    expect(blocks.length).toBeGreaterThan(2);
    expect(blocks.every((x) => x.size <= 65536)).toBe(true);
    expect([...blocked.subarray(blocked.length - 28)]).toEqual([...BGZF_EOF]);
    expect(blocks.at(-1)?.data.length).toBe(0);
    expect(Buffer.concat(blocks.map((x) => x.data)).equals(Buffer.from(data))).toBe(true);
    expect(gunzipSync(blocked).equals(Buffer.from(data))).toBe(true);
    expect(gunzipSync(vcfGz()).equals(Buffer.from(vcf()))).toBe(true);
  });

  it('write FASTQ records of four lines with qualities as long as the sequences', () => {
    const lines = text(fastq({ reads: 5, readLength: 76 }))
      .trimEnd()
      .split('\n');
    expect(lines).toHaveLength(20);
    for (let i = 0; i < 20; i += 4) {
      expect(lines[i]).toMatch(/^@SIM-A00123:42:HCANARYXX:1:1101:\d+:\d+ 1:N:0:ACGTACGT$/);
      expect(lines[i + 1]).toMatch(/^[ACGT]{76}$/);
      expect(lines[i + 2]).toBe('+');
      expect(lines[i + 3]?.length).toBe(76);
    }
  });

  it('write a VCF whose records are sorted and match the header columns', () => {
    const lines = text(vcf()).trimEnd().split('\n');
    expect(lines[0]).toBe('##fileformat=VCFv4.3');
    const header = lines.find((l) => l.startsWith('#CHROM'))?.split('\t') ?? [];
    const records = lines.filter((l) => !l.startsWith('#')).map((l) => l.split('\t'));
    expect(records).toHaveLength(40);
    for (const r of records) expect(r).toHaveLength(header.length);
    const positions = records.map((r) => Number(r[1]));
    expect(positions).toEqual([...positions].sort((x, y) => x - y));
  });

  it('write a BAM whose header, references and records parse', () => {
    const raw = Buffer.concat(bgzfBlocks(bam()).map((x) => x.data));
    expect(text(raw.subarray(0, 4))).toBe('BAM\x01');
    const lText = raw.readInt32LE(4);
    expect(text(raw.subarray(8, 8 + lText))).toMatch(/^@HD\tVN:1\.6\tSO:coordinate\n@SQ\tSN:chr1/);
    let at = 8 + lText;
    const nRef = raw.readInt32LE(at);
    at += 4;
    for (let i = 0; i < nRef; i++) at += 4 + raw.readInt32LE(at) + 4;
    let records = 0;
    while (at < raw.length) {
      const blockSize = raw.readInt32LE(at);
      const lReadName = raw.readUInt8(at + 12);
      const nCigar = raw.readUInt16LE(at + 16);
      const lSeq = raw.readInt32LE(at + 20);
      expect(blockSize).toBe(32 + lReadName + 4 * nCigar + Math.ceil(lSeq / 2) + lSeq);
      expect(raw.readUInt8(at + 4 + 32 + lReadName - 1)).toBe(0);
      at += 4 + blockSize;
      records++;
    }
    expect(at).toBe(raw.length);
    expect(records).toBe(8);
  });

  it('write a BCF header and CRAM containers with correct CRCs', () => {
    const raw = Buffer.concat(bgzfBlocks(bcf()).map((x) => x.data));
    expect([...raw.subarray(0, 5)]).toEqual([0x42, 0x43, 0x46, 2, 2]);
    const lText = raw.readUInt32LE(5);
    expect(raw.length).toBe(9 + lText);
    expect(raw[raw.length - 1]).toBe(0);
    const cram = Buffer.from(cramHeader());
    expect(text(cram.subarray(0, 6))).toBe('CRAM\x03\x01');
    const headerLength = 4 + 8; // int32 length, then eight 1-byte ITF-8/LTF-8 fields (the last: no landmarks)
    const header = cram.subarray(26, 26 + headerLength);
    expect(cram.readUInt32LE(26 + headerLength)).toBe(zlibCrc32(header));
    const blockStart = 26 + headerLength + 4;
    const blockLength = cram.readInt32LE(26);
    const block = cram.subarray(blockStart, blockStart + blockLength - 4);
    expect(cram.readUInt32LE(blockStart + blockLength - 4)).toBe(zlibCrc32(block));
    expect(text(cram.subarray(cram.length - 38, cram.length - 34))).toBe('\x0f\0\0\0');
  });

  it('write a PDF whose cross-reference table points at its objects', () => {
    const doc = text(pdf());
    const startxref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(doc)?.[1]);
    expect(doc.slice(startxref, startxref + 4)).toBe('xref');
    const entries = doc.slice(startxref).split('\n').slice(3, 8);
    entries.forEach((e, i) => {
      const offset = Number(e.slice(0, 10));
      expect(doc.slice(offset, offset + `${i + 1} 0 obj`.length)).toBe(`${i + 1} 0 obj`);
    });
    const length = Number(/\/Length (\d+)/.exec(doc)?.[1]);
    const stream = doc.indexOf('stream\n') + 'stream\n'.length;
    expect(doc.slice(stream + length, stream + length + 9)).toBe('endstream');
  });

  it('write zip and tar that their own checksums vouch for', () => {
    const z = Buffer.from(zip([{ name: 'a.txt', data: utf8('hello') }]));
    const eocd = z.length - 22;
    expect(z.readUInt32LE(eocd)).toBe(0x06054b50);
    const cdOffset = z.readUInt32LE(eocd + 16);
    expect(z.readUInt32LE(cdOffset)).toBe(0x02014b50);
    expect(z.readUInt32LE(14)).toBe(zlibCrc32(Buffer.from('hello')));
    const t = Buffer.from(tar('a.txt', utf8('hello')));
    expect(t.length).toBe(512 * 4);
    const stored = parseInt(text(t.subarray(148, 154)), 8);
    t.fill(0x20, 148, 156);
    expect(t.subarray(0, 512).reduce((a, b) => a + b, 0)).toBe(stored);
  });

  it('write EHR content in its standard shape, with canary identifiers', () => {
    const adt = text(hl7Adt());
    expect(
      adt
        .split('\r')
        .filter(Boolean)
        .map((s) => s.slice(0, 3)),
    ).toEqual(['MSH', 'EVN', 'PID', 'PV1']);
    expect(adt).toContain(`${CANARY}^PATIENT`);
    expect(JSON.parse(text(fhirPatientJson()))).toMatchObject({
      resourceType: 'Patient',
      name: [{ family: CANARY }],
    });
    const lines = text(fhirNdjson()).trimEnd().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { resourceType: string }).resourceType)).toEqual([
      'Patient',
      'Observation',
      'Observation',
    ]);
    expect(text(ccda())).toContain('<templateId root="2.16.840.1.113883.10.20.22.1.1"');
  });
});
