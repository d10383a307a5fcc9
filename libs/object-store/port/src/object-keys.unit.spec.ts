import { createHash } from 'node:crypto';
import fc from 'fast-check';
import {
  contentKey,
  InvalidObjectKeyError,
  isValidObjectKey,
  KEY_LENGTH,
  keySha256,
  validateKeyPrefix,
  validateObjectKey,
} from './index';
import { HOSTILE_KEYS, HOSTILE_PREFIXES } from './testing';

const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

describe('content keys', () => {
  it('are sha256/<h0h1>/<h2h3>/<hash>, lower case', () => {
    const hash = sha('hello');
    expect(contentKey(hash)).toBe(`sha256/${hash.slice(0, 2)}/${hash.slice(2, 4)}/${hash}`);
    expect(contentKey(hash.toUpperCase())).toBe(contentKey(hash));
    expect(contentKey(hash)).toHaveLength(KEY_LENGTH);
    expect(keySha256(contentKey(hash))).toBe(hash);
  });

  it('contentKey refuses anything but a 64-digit hex hash', () => {
    for (const bad of ['', 'ab', sha('x').slice(1), `${sha('x')}0`, '../'.repeat(22), 'g'.repeat(64)]) {
      expect(() => contentKey(bad)).toThrow(InvalidObjectKeyError);
    }
  });

  it('every content key validates (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (bytes) => {
        const key = contentKey(Buffer.from(bytes).toString('hex'));
        expect(validateObjectKey(key)).toBe(key);
        expect(validateKeyPrefix(key)).toBe(key);
      }),
    );
  });

  it('no string other than a content key validates (property: arbitrary and mutated keys)', () => {
    const valid = contentKey(sha('seed'));
    const mutated = fc
      .tuple(fc.nat({ max: valid.length }), fc.nat({ max: 3 }), fc.string({ unit: 'binary', maxLength: 4 }))
      .map(([at, drop, insert]) => valid.slice(0, at) + insert + valid.slice(at + drop));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), mutated), (key) => {
        const isContentKey =
          /^sha256\/[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{64}$/.test(key) && contentKey(key.slice(-64)) === key;
        expect(isValidObjectKey(key)).toBe(isContentKey);
      }),
      { numRuns: 2000 },
    );
  });

  it.each(HOSTILE_KEYS.map((k) => [JSON.stringify(k).slice(0, 50), k]))(
    'refuses %s without echoing it',
    (_, key) => {
      let caught: unknown;
      try {
        validateObjectKey(key);
      } catch (error: unknown) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(InvalidObjectKeyError);
      if (key.length > 2 && caught instanceof Error) expect(caught.message).not.toContain(key);
    },
  );

  it('says why a key was refused', () => {
    const reason = (key: unknown): string => {
      try {
        validateObjectKey(key);
        return 'accepted';
      } catch (error: unknown) {
        return error instanceof InvalidObjectKeyError ? error.reason : 'other';
      }
    };
    const valid = contentKey(sha('x'));
    expect(reason(42)).toBe('not a string');
    expect(reason('x'.repeat(1025))).toBe('longer than 1024 bytes');
    expect(reason(`${valid}\u0000`)).toBe('contains control characters');
    expect(reason('a\\b')).toBe('contains a backslash');
    expect(reason('/etc/passwd')).toBe('is an absolute path');
    expect(reason('%2e%2e/x')).toBe('contains percent-encoding');
    expect(reason('sha256/../x')).toBe('contains an empty, "." or ".." segment');
    expect(reason(`sha256/00/00/${sha('x')}`)).toBe('fan-out directories do not match the hash');
    expect(reason(valid)).toBe('accepted');
  });
});

describe('key prefixes', () => {
  it('accepts every prefix of a key, and the empty prefix', () => {
    const key = contentKey(sha('p'));
    for (let i = 0; i <= key.length; i++) expect(validateKeyPrefix(key.slice(0, i))).toBe(key.slice(0, i));
  });

  it.each(HOSTILE_PREFIXES.map((p) => [JSON.stringify(p), p]))('refuses %s', (_, prefix) => {
    expect(() => validateKeyPrefix(prefix)).toThrow(InvalidObjectKeyError);
  });
});
