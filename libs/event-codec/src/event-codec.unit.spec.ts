import { join } from 'node:path';
import { CodecError } from './codec-errors';
import { EventCodec } from './event-codec';
import { fingerprintHex, rabinFingerprint } from './rabin-fingerprint';
import { loadSchemaCatalogue } from './schema-catalogue';
import type { Upcaster } from './upcaster';

const fixtures = join(__dirname, 'test-fixtures/avro');
const tierUpcaster: Upcaster = {
  eventType: 'TierMoved',
  fromVersion: 1,
  upcast: (data) => ({ tier: String(data['tier']).toUpperCase() }),
};

describe('rabinFingerprint (CRC-64-AVRO)', () => {
  it('matches the Avro specification vector for "null"', () => {
    expect(rabinFingerprint('"null"')).toBe(7195948357588979594n);
  });

  // Vectors computed with fastavro 1.x (an independent implementation), little-endian hex as on the wire.
  it.each([
    ['"int"', '8f5c393f1ad57572'],
    ['"string"', 'c70345637248018f'],
    [
      '{"name":"com.example.Ping","type":"record","fields":[{"name":"at","type":"long"},{"name":"note","type":["null","string"]}]}',
      'aad1ad5a3d7e74a5',
    ],
    ['{"name":"com.example.Tier","type":"enum","symbols":["HOT","WARM","COLD"]}', 'edbb6580d6eccf05'],
  ])('matches the reference vector for %s', (pcf, hex) => {
    expect(fingerprintHex(rabinFingerprint(pcf))).toBe(hex);
  });
});

describe('EventCodec', () => {
  const catalogue = loadSchemaCatalogue(fixtures);
  const codec = new EventCodec(catalogue, [tierUpcaster]);
  const at = new Date('2026-01-02T03:04:05.678Z');
  const tool = { name: 'gateway', version: '1.2.3' };

  it('writes single-object encoding: C3 01, the fingerprint, then the body', () => {
    const bytes = codec.encode('Pinged', { host: 'h', at, tool, note: null });
    expect(bytes.subarray(0, 2)).toEqual(Buffer.from([0xc3, 0x01]));
    expect(bytes.readBigUInt64LE(2)).toBe(catalogue.latest('Pinged').fingerprint);
  });

  it('round-trips the current version with Dates intact', () => {
    const value = { host: 'h', at, tool, note: 'n' };
    expect(codec.decode(codec.encode('Pinged', value))).toEqual({
      subject: 'Pinged',
      writerVersion: 3,
      version: 3,
      value,
    });
  });

  it('encodes values larger than its scratch buffer, and small ones after them', () => {
    const big = { host: 'h', at, tool, note: 'x'.repeat(300_000) };
    expect(codec.decode(codec.encode('Pinged', big)).value).toEqual(big);
    const small = { host: 'h2', at, tool, note: null };
    expect(codec.decode(codec.encode('Pinged', small)).value).toEqual(small);
  });

  it('resolves v1 (missing field) and v2 (old field name) to v3', () => {
    const v1 = codec.encodeVersion('Pinged', 1, { target: 'old', at, tool });
    const v2 = codec.encodeVersion('Pinged', 2, { target: 'old2', at, tool, note: 'x' });
    expect(codec.decode(v1).value).toEqual({ host: 'old', at, tool, note: null });
    expect(codec.decode(v2)).toMatchObject({
      writerVersion: 2,
      version: 3,
      value: { host: 'old2', note: 'x' },
    });
  });

  it('upcasts a non-resolvable step, then keeps resolving after it', () => {
    const v1 = codec.encodeVersion('TierMoved', 1, { tier: 'warm' });
    expect(codec.decode(v1)).toEqual({
      subject: 'TierMoved',
      writerVersion: 1,
      version: 3,
      value: { tier: 'WARM', reason: null },
    });
  });

  it('without the upcaster, says the step is incompatible', () => {
    const bare = new EventCodec(catalogue);
    const v1 = bare.encodeVersion('TierMoved', 1, { tier: 'warm' });
    expect(() => bare.decode(v1)).toThrow(/SCHEMA_INCOMPATIBLE: TierMoved v1 cannot be resolved to v3/);
  });

  it('rejects an upcaster whose output does not fit the next version', () => {
    const broken = new EventCodec(catalogue, [{ ...tierUpcaster, upcast: () => ({ tier: 'LUKEWARM' }) }]);
    expect(() => broken.decode(broken.encodeVersion('TierMoved', 1, { tier: 'x' }))).toThrow(/INVALID_VALUE/);
  });

  it('fails clearly on an unknown fingerprint', () => {
    const bytes = codec.encode('Pinged', { host: 'h', at, tool, note: null });
    bytes.writeBigUInt64LE(0x0123456789abcdefn, 2);
    expect(() => codec.decode(bytes)).toThrow(
      /UNKNOWN_FINGERPRINT: no known schema has fingerprint efcdab8967452301/,
    );
  });

  it('fails clearly on a payload without the marker', () => {
    expect(() => codec.decode(Buffer.from('{"json":true}'))).toThrow(/NOT_SINGLE_OBJECT/);
    expect(() => codec.decode(Buffer.alloc(3))).toThrow(CodecError);
  });

  it('fails clearly on a truncated or padded body', () => {
    const bytes = codec.encode('Pinged', { host: 'hostname', at, tool, note: 'note' });
    expect(() => codec.decode(bytes.subarray(0, bytes.length - 3))).toThrow(
      /CORRUPT_PAYLOAD: Pinged v3 .*truncated/,
    );
    expect(() => codec.decode(Buffer.concat([bytes, Buffer.from([1, 2])]))).toThrow(
      /CORRUPT_PAYLOAD.*trailing/,
    );
  });

  it('refuses to encode an invalid value, naming fields and not values', () => {
    const attempt = () => codec.encode('Pinged', { host: 42, at: 'ZZCANARY', tool, note: null });
    expect(attempt).toThrow(/INVALID_VALUE: value is not a valid Pinged v3; bad fields: host, at/);
    expect(attempt).not.toThrow(/ZZCANARY/);
  });

  it('guards against a payload of another subject', () => {
    const bytes = codec.encode('TierMoved', { tier: 'HOT', reason: null });
    expect(() => codec.decode(bytes, 'Pinged')).toThrow(/payload is TierMoved, expected Pinged/);
  });

  it('refuses unknown subjects on encode', () => {
    expect(() => codec.encode('Nope', {})).toThrow(/UNKNOWN_SUBJECT/);
  });
});

describe('EventCodec bytes', () => {
  const codec = new EventCodec(loadSchemaCatalogue(fixtures));

  it('accepts Uint8Array (and views into larger buffers) where the schema has bytes', () => {
    const backing = new Uint8Array([9, 9, 1, 2, 3, 9]);
    const value = { parts: [{ bytes: new Uint8Array([0xde, 0xad]) }, { bytes: backing.subarray(2, 5) }] };
    const decoded = codec.decode<{ parts: { bytes: Buffer }[] }>(codec.encode('Sealed', value));
    expect(decoded.value.parts.map((p) => p.bytes.toString('hex'))).toEqual(['dead', '010203']);
  });

  it('still refuses bytes where a string belongs', () => {
    const tool = { name: new Uint8Array([1]), version: '1' };
    expect(() => codec.encode('Pinged', { host: 'h', at: new Date(), tool, note: null })).toThrow(
      /INVALID_VALUE.*bad fields: tool.name/,
    );
  });
});
