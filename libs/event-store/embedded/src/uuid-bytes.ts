/** 16 bytes of a UUID already validated by `validateAppend` (hex decoding is the fast path). */
export function uuidToBytes(id: string): Buffer {
  return Buffer.from(id.replaceAll('-', ''), 'hex');
}

const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');
const text = Buffer.alloc(36);

/**
 * Lower-case text of 16 stored id bytes. Written into one scratch buffer and read out as one flat
 * string: a timeline keeps an id per event, and `uuid`'s stringify built each from 20
 * concatenations, then re-validated it against RFC versions (refusing ids `validateAppend` had
 * accepted, which only requires hex).
 */
export function bytesToUuid(bytes: Uint8Array): string {
  let o = 0;
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) text[o++] = 0x2d; // '-'
    const b = bytes[i] ?? 0;
    text[o++] = HEX_DIGITS[b >> 4] ?? 0;
    text[o++] = HEX_DIGITS[b & 15] ?? 0;
  }
  return text.toString('latin1', 0, 36);
}
