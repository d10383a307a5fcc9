import { createCipheriv, createDecipheriv } from 'node:crypto';

/**
 * Identifying attributes that must be kept (patient name, MRN, birth date…) never sit in an
 * event in clear. They are sealed with AES-256-GCM under a data key that belongs to ONE subject
 * (`keyId` names it), so erasing a subject means destroying that key: history stays immutable
 * and the ciphertext becomes noise ("crypto-shredding"). The AAD binds the ciphertext to its
 * subject and purpose so an envelope cannot be transplanted into another subject's event.
 */
export interface EncryptedEnvelope {
  /** Reference to the subject's data key, e.g. `subject-key/<subjectId>/1`; never the key. */
  readonly keyId: string;
  readonly algorithm: 'AES_256_GCM';
  /** 96-bit nonce, unique per envelope. */
  readonly iv: Uint8Array;
  readonly ciphertext: Uint8Array;
  /** 128-bit GCM tag. */
  readonly authTag: Uint8Array;
  /** Associated data authenticated with the ciphertext (not secret, not PHI). */
  readonly aad: string;
}

/** Seals a JSON-serialisable value. `iv` must be 12 fresh random bytes (an input, so callers stay testable). */
export function sealEnvelope(
  key: { keyId: string; material: Uint8Array },
  plaintext: unknown,
  aad: string,
  iv: Uint8Array,
): EncryptedEnvelope {
  if (key.material.byteLength !== 32) throw new RangeError('AES-256-GCM needs a 32-byte key');
  if (iv.byteLength !== 12) throw new RangeError('AES-256-GCM needs a 12-byte iv');
  const cipher = createCipheriv('aes-256-gcm', key.material, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(plaintext), 'utf8'), cipher.final()]);
  return { keyId: key.keyId, algorithm: 'AES_256_GCM', iv, ciphertext, authTag: cipher.getAuthTag(), aad };
}

/** Opens an envelope; throws if the key, AAD or any byte is wrong. */
export function openEnvelope(envelope: EncryptedEnvelope, keyMaterial: Uint8Array): unknown {
  const decipher = createDecipheriv('aes-256-gcm', keyMaterial, envelope.iv);
  decipher.setAAD(Buffer.from(envelope.aad, 'utf8'));
  decipher.setAuthTag(envelope.authTag);
  const plain = Buffer.concat([decipher.update(envelope.ciphertext), decipher.final()]);
  return JSON.parse(plain.toString('utf8')) as unknown;
}
