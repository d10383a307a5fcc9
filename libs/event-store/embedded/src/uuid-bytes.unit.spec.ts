import { randomUUID } from 'node:crypto';
import { stringify } from 'uuid';
import { bytesToUuid, uuidToBytes } from './uuid-bytes';

describe('uuid bytes', () => {
  it('round-trips ids as lower-case text, the same text as the uuid package', () => {
    for (let i = 0; i < 200; i++) {
      const id = randomUUID();
      const bytes = uuidToBytes(id.toUpperCase());
      expect(bytesToUuid(bytes)).toBe(id);
      expect(bytesToUuid(bytes)).toBe(stringify(bytes));
    }
    expect(bytesToUuid(Buffer.alloc(16))).toBe('00000000-0000-0000-0000-000000000000');
  });

  it('reads back any id validateAppend accepts, not only RFC versions', () => {
    const id = '12345678-9abc-0def-0123-456789abcdef'; // version 0, variant 0: hex is all the port asks
    expect(bytesToUuid(uuidToBytes(id))).toBe(id);
  });

  it('reads from a view into a larger buffer (ids sit at the start of a stored payload)', () => {
    const id = randomUUID();
    const payload = Buffer.concat([uuidToBytes(id), Buffer.from([1, 2, 3])]);
    expect(bytesToUuid(payload.subarray(0, 16))).toBe(id);
  });
});
