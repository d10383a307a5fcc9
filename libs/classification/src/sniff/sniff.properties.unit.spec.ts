import { deflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import { OBJECT_FORMATS } from '@medlineage/domain';
import { bgzf, ByteWriter, fastq, gzip, hl7Adt, sampleFiles, utf8 } from '../samples';
import { classify } from '../classify/classify';
import { inflateRawCapped } from './inflate';
import { MAX_INFLATED_BYTES, type SniffResult } from './signal';
import { sniff } from './sniff';

/** Generous: a sniff takes well under a millisecond; this only catches runaway work. */
const TIME_CAP_MS = 250;

function timedSniff(bytes: Uint8Array, total: number): SniffResult {
  const started = process.hrtime.bigint();
  const result = sniff(bytes, total);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (ms > TIME_CAP_MS) throw new Error(`sniff took ${ms.toFixed(1)} ms`);
  return result;
}

function wellFormed(r: SniffResult): void {
  expect(OBJECT_FORMATS).toContain(r.format);
  expect(r.contentSniff.length).toBeGreaterThan(0);
  expect(r.signals.length).toBeGreaterThan(0);
  for (const s of r.signals) {
    expect(OBJECT_FORMATS).toContain(s.format);
    expect(s.confidence).toBeGreaterThanOrEqual(0);
    expect(s.confidence).toBeLessThanOrEqual(1);
    expect(Number.isInteger(s.offset) && s.offset >= 0).toBe(true);
    expect(s.detail).toMatch(/^[\x20-\x7e]+$/);
  }
  if (r.conflicting) expect(r.format).toBe('UNKNOWN');
}

const totalSize = (length: number) =>
  fc.oneof(
    fc.constant(length),
    fc.integer({ min: length, max: 2 ** 40 }),
    fc.constantFrom(Number.NaN, -1, Number.POSITIVE_INFINITY, 0),
  );

/** Bytes that start like gzip or BGZF and go wrong somewhere: flags, extra field, deflate data. */
const gzipLike = fc
  .record({
    flags: fc.integer({ min: 0, max: 255 }),
    bc: fc.boolean(),
    bsize: fc.integer({ min: 0, max: 0xffff }),
    xlen: fc.integer({ min: 0, max: 40 }),
    body: fc.uint8Array({ maxLength: 2048 }),
  })
  .map(({ flags, bc, bsize, xlen, body }) => {
    const w = new ByteWriter().bytes([0x1f, 0x8b, 0x08, flags]).u32(0).bytes([0, 0xff]);
    if (bc) w.u16(6).ascii('BC').u16(2).u16(bsize);
    else w.u16(xlen);
    return w.bytes(body).done();
  });

/** Real samples with bytes flipped and tails cut off. */
const mutated = fc
  .record({
    file: fc.constantFrom(...sampleFiles().map((f) => f.bytes)),
    flips: fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), { maxLength: 8 }),
    keep: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map(({ file, flips, keep }) => {
    const b = file.slice(0, Math.ceil(file.length * keep));
    for (const f of flips) if (b.length > 0) b[f.at % b.length] = f.value;
    return b;
  });

describe('sniff properties', () => {
  it('never throws, stays in its time cap and returns a well-formed result on arbitrary bytes', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 4096 }).chain((b) => fc.tuple(fc.constant(b), totalSize(b.length))),
        ([bytes, total]) => wellFormed(timedSniff(bytes, total)),
      ),
      { numRuns: 500 },
    );
  });

  it('never throws on gzip-looking and BGZF-looking garbage', () => {
    fc.assert(
      fc.property(
        gzipLike.chain((b) => fc.tuple(fc.constant(b), totalSize(b.length))),
        ([bytes, total]) => wellFormed(timedSniff(bytes, total)),
      ),
      { numRuns: 500 },
    );
  });

  it('never throws on damaged real files', () => {
    fc.assert(
      fc.property(mutated, (bytes) => wellFormed(timedSniff(bytes, bytes.length))),
      { numRuns: 300 },
    );
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 512 }), gzipLike, mutated), (bytes) => {
        expect(sniff(bytes, bytes.length)).toEqual(sniff(bytes, bytes.length));
      }),
      { numRuns: 200 },
    );
  });

  it('never inflates more than the cap, whatever the deflate stream', () => {
    const compressible = fc
      .tuple(fc.uint8Array({ minLength: 1, maxLength: 16 }), fc.integer({ min: 1, max: 200_000 }))
      .map(([unit, times]) => {
        const out = new Uint8Array(unit.length * times);
        for (let i = 0; i < times; i++) out.set(unit, i * unit.length);
        return out;
      });
    fc.assert(
      fc.property(compressible, fc.integer({ min: 1, max: 2 * MAX_INFLATED_BYTES }), (data, cap) => {
        const out = inflateRawCapped(deflateRawSync(data), cap);
        expect(out.bytes.length).toBeLessThanOrEqual(Math.min(cap, MAX_INFLATED_BYTES));
        expect(Buffer.from(data.subarray(0, out.bytes.length)).equals(Buffer.from(out.bytes))).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('never copies content into signals (identifiers in gzip names, read names, HL7 fields)', () => {
    const token = fc.stringMatching(/^[A-Z]{6}[0-9]{4}$/);
    fc.assert(
      fc.property(token, (id) => {
        const hl7 = Buffer.from(hl7Adt())
          .toString('latin1')
          .replace(/ZZCANARY/g, id);
        const reads = Buffer.from(fastq({ reads: 3 }))
          .toString('latin1')
          .replace(/^@SIM/gm, `@${id}`);
        for (const b of [gzip(fastq(), { name: `${id}.fastq` }), utf8(hl7), bgzf(utf8(reads))]) {
          expect(JSON.stringify(sniff(b, b.length))).not.toContain(id);
        }
      }),
      { numRuns: 50 },
    );
  });

  it('classifies whatever it sniffs without throwing', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 1024 }), gzipLike, mutated), (bytes) => {
        const outcome = classify({
          sniff: sniff(bytes, bytes.length),
          dicom: null,
          siteResidency: 'EU',
          at: new Date(0),
        });
        expect(outcome.signals.every((s) => s.confidence >= 0 && s.confidence <= 1)).toBe(true);
        expect(outcome.attributes.retainUntil.getTime()).toBeGreaterThan(0);
      }),
      { numRuns: 200 },
    );
  });
});
