import { randomBytes } from 'node:crypto';
import {
  deterministicId,
  foldEvents,
  isPseudonymousSubjectId,
  isUuid,
  openEnvelope,
  pseudonymousSubjectId,
  sealEnvelope,
} from './index';

describe('deterministicId', () => {
  it('is stable for the same parts and differs for different parts', () => {
    expect(deterministicId('ingest', 'topic', 0, 42n)).toBe(deterministicId('ingest', 'topic', 0, 42n));
    expect(deterministicId('ingest', 'topic', 0, 42n)).not.toBe(deterministicId('ingest', 'topic', 0, 43n));
    expect(deterministicId('a|b', 'c')).not.toBe(deterministicId('a', 'b|c'));
    expect(deterministicId('x')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});

describe('pseudonymousSubjectId', () => {
  const key = Buffer.alloc(32, 7);
  it('is stable per site and patient, and contains neither', () => {
    const id = pseudonymousSubjectId(key, 'site-a', 'MRN-12345');
    expect(id).toBe(pseudonymousSubjectId(key, 'site-a', 'MRN-12345'));
    expect(id).not.toBe(pseudonymousSubjectId(key, 'site-b', 'MRN-12345'));
    expect(id).not.toBe(pseudonymousSubjectId(Buffer.alloc(32, 8), 'site-a', 'MRN-12345'));
    expect(id).toMatch(/^sub[a-z2-7]{32}$/);
    expect(id).not.toContain('12345');
  });
  it('refuses short keys and empty inputs', () => {
    expect(() => pseudonymousSubjectId(Buffer.alloc(16), 's', 'p')).toThrow(RangeError);
    expect(() => pseudonymousSubjectId(key, '', 'p')).toThrow(RangeError);
  });
});

describe('shape validators', () => {
  it('isPseudonymousSubjectId accepts what pseudonymousSubjectId produces, and nothing else', () => {
    const id = pseudonymousSubjectId(Buffer.alloc(32, 7), 'site-a', 'MRN-12345');
    expect(isPseudonymousSubjectId(id)).toBe(true);
    expect(isPseudonymousSubjectId(id.toUpperCase())).toBe(false);
    expect(isPseudonymousSubjectId(`${id}a`)).toBe(false);
    expect(isPseudonymousSubjectId('sub' + '1'.repeat(32))).toBe(false);
    expect(isPseudonymousSubjectId('DOE^JOHN')).toBe(false);
  });
  it('isUuid accepts canonical UUIDs of either case', () => {
    expect(isUuid(deterministicId('x'))).toBe(true);
    expect(isUuid(deterministicId('x').toUpperCase())).toBe(true);
    expect(isUuid(`{${deterministicId('x')}}`)).toBe(false);
    expect(isUuid(deterministicId('x').replaceAll('-', ''))).toBe(false);
  });
});

describe('encrypted envelope', () => {
  const key = { keyId: 'subject-key/subx/1', material: randomBytes(32) };
  const identity = { patientName: 'ZZCANARY^PATIENT', patientId: 'MRN-1' };

  it('round-trips and keeps no plaintext in the sealed bytes', () => {
    const env = sealEnvelope(key, identity, 'subx:identity', randomBytes(12));
    expect(Buffer.from(env.ciphertext).toString('latin1')).not.toContain('ZZCANARY');
    expect(openEnvelope(env, key.material)).toEqual(identity);
  });

  it('fails with the wrong key, a transplanted AAD or a flipped byte', () => {
    const env = sealEnvelope(key, identity, 'subx:identity', randomBytes(12));
    expect(() => openEnvelope(env, randomBytes(32))).toThrow();
    expect(() => openEnvelope({ ...env, aad: 'suby:identity' }, key.material)).toThrow();
    const flipped = Buffer.from(env.ciphertext);
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(() => openEnvelope({ ...env, ciphertext: flipped }, key.material)).toThrow();
  });
});

describe('foldEvents', () => {
  it('folds in order from the initial state', () => {
    const sum = foldEvents<number[], number>(
      { initialState: () => [], evolve: (s, e) => [...s, e] },
      [1, 2, 3],
    );
    expect(sum).toEqual([1, 2, 3]);
  });
});
