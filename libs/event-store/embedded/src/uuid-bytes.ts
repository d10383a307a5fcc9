import { stringify } from 'uuid';

/** 16 bytes of a UUID already validated by `validateAppend` (hex decoding is the fast path). */
export function uuidToBytes(id: string): Buffer {
  return Buffer.from(id.replaceAll('-', ''), 'hex');
}

export function bytesToUuid(bytes: Uint8Array): string {
  return stringify(bytes);
}
