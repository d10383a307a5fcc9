/** A subject's data key: the id recorded in envelopes, and the secret material (never logged). */
export interface SubjectKey {
  readonly keyId: string;
  readonly material: Buffer;
}

/**
 * Per-subject data keys for sealing identifying attributes (crypto-shredding). WARNING: losing a
 * key loses that subject's sealed data; destroying one is how a subject is erased.
 */
export interface SubjectKeyRing {
  /** The subject's key, created on first use (concurrent callers get the same key). */
  keyFor(subjectId: string): Promise<SubjectKey>;
  /** Material for an envelope's `keyId`, or `null` when the key was destroyed or never existed. */
  material(keyId: string): Promise<Buffer | null>;
  /** Crypto-shreds the subject: its key is overwritten and can never be recovered. Idempotent. */
  destroy(subjectId: string): Promise<void>;
  close(): Promise<void>;
}

export const subjectKeyId = (subjectId: string, generation = 1): string =>
  `subject-key/${subjectId}/${generation}`;
