import { createHmac } from 'node:crypto';

/**
 * Pseudonymous subject id: keyed HMAC-SHA256 of (site, patient id). Stable for a site's patient,
 * unlinkable without the key, and safe to use in stream names, Kafka keys and read models.
 * The key is a secret of the deployment (never stored with the events).
 */
export function pseudonymousSubjectId(key: Uint8Array, site: string, patientId: string): string {
  if (key.byteLength < 32) throw new RangeError('pseudonymisation key must be at least 32 bytes');
  if (site.length === 0 || patientId.length === 0) throw new RangeError('site and patient id are required');
  const mac = createHmac('sha256', key).update(site, 'utf8').update('\u0000').update(patientId, 'utf8');
  // 20 bytes (160 bits) in base32: short enough for stream names, far beyond collision reach.
  return `sub${base32(mac.digest().subarray(0, 20))}`;
}

/** The shape {@link pseudonymousSubjectId} produces: `sub` and 32 lower-case base32 digits. */
const SUBJECT_ID = /^sub[a-z2-7]{32}$/;

/** Whether `text` has the shape of a {@link pseudonymousSubjectId} (not whether it was issued). */
export function isPseudonymousSubjectId(text: string): boolean {
  return SUBJECT_ID.test(text);
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

function base32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}
