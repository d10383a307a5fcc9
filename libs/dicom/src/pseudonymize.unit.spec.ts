import { createHmac } from 'node:crypto';
import { isValidUid, pseudonymizeUid, studyYearOf } from './index';
import fc from 'fast-check';

const KEY = new Uint8Array(32).fill(1);
const OTHER_KEY = new Uint8Array(32).fill(2);
const uidArbitrary = fc
  .array(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 2 ** 31 })), { minLength: 2, maxLength: 12 })
  .map((parts) => parts.join('.'))
  .filter((uid) => uid.length <= 64 && !uid.startsWith('1.2.840.10008'));

describe('pseudonymizeUid', () => {
  it('is deterministic and yields a valid 2.25 UID of at most 44 characters', () => {
    fc.assert(
      fc.property(uidArbitrary, (uid) => {
        const a = pseudonymizeUid(KEY, uid);
        expect(pseudonymizeUid(KEY, uid)).toBe(a);
        expect(a.startsWith('2.25.')).toBe(true);
        expect(a.length).toBeLessThanOrEqual(44);
        expect(isValidUid(a)).toBe(true);
      }),
    );
  });

  it('depends on the key and on the UID', () => {
    fc.assert(
      fc.property(uidArbitrary, uidArbitrary, (a, b) => {
        expect(pseudonymizeUid(KEY, a)).not.toBe(pseudonymizeUid(OTHER_KEY, a));
        if (a !== b) expect(pseudonymizeUid(KEY, a)).not.toBe(pseudonymizeUid(KEY, b));
      }),
    );
  });

  it('has a known value (guards against accidental algorithm changes)', () => {
    // HMAC-SHA256(key = 32 × 0x01, "1.2.3.4"), first 16 bytes as a decimal.
    const hex = createHmac('sha256', KEY).update('1.2.3.4').digest('hex').slice(0, 32);
    expect(pseudonymizeUid(KEY, '1.2.3.4')).toBe(`2.25.${BigInt(`0x${hex}`).toString()}`);
  });

  it('leaves DICOM standard UIDs (1.2.840.10008.*) unchanged', () => {
    for (const uid of ['1.2.840.10008.5.1.4.1.1.2', '1.2.840.10008.1.2.1', '1.2.840.10008']) {
      expect(pseudonymizeUid(KEY, uid)).toBe(uid);
    }
    expect(pseudonymizeUid(KEY, '1.2.840.100081.2')).toMatch(/^2\.25\./);
  });

  it('refuses short keys', () => {
    expect(() => pseudonymizeUid(new Uint8Array(16), '1.2.3')).toThrow(RangeError);
  });
});

describe('studyYearOf', () => {
  it.each([
    ['20240131', 2024],
    ['1995.06.26', 1995],
    [' 19991231 ', 1999],
    ['2024', 2024],
    ['', null],
    ['31.01.2024', null],
    ['abcd0101', null],
    ['00010101', null],
  ] as const)('%j → %j', (value, year) => {
    expect(studyYearOf(value)).toBe(year);
  });

  it('null stays null', () => {
    expect(studyYearOf(null)).toBeNull();
  });
});
