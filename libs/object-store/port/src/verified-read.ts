import { createHash, type Hash } from 'node:crypto';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import type { StorageZone } from '@medlineage/domain';
import { keySha256 } from './object-keys';
import {
  ObjectChecksumMismatchError,
  ObjectTooLargeError,
  type ObjectStoreError,
} from './object-store-errors';

/**
 * Checks a read against the SHA-256 its key names. Keys are content hashes, so every read can be
 * verified for the price of hashing it: bit rot, a truncated transfer or a tampered object ends
 * the stream with {@link ObjectChecksumMismatchError} instead of passing unnoticed.
 */
class ContentVerifier extends Transform {
  private readonly hash: Hash = createHash('sha256');

  constructor(
    private readonly zone: StorageZone,
    private readonly key: string,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    const actual = this.hash.digest('hex');
    const expected = keySha256(this.key);
    callback(
      actual === expected
        ? null
        : new ObjectChecksumMismatchError(this.zone, this.key, 'sha256', expected, actual),
    );
  }
}

/**
 * Wraps an adapter's raw read stream: verified against the key, with the raw stream's errors
 * translated into port errors, and the raw stream released if the consumer stops early.
 */
export function verifiedReadable(
  raw: Readable,
  zone: StorageZone,
  key: string,
  translate: (error: unknown) => ObjectStoreError,
): Readable {
  const verifier = new ContentVerifier(zone, key);
  raw.once('error', (error: unknown) => verifier.destroy(translate(error)));
  verifier.once('close', () => raw.destroy());
  raw.pipe(verifier);
  return verifier;
}

/**
 * Collects a (verified) stream into memory, refusing more than `maxBytes`: reading stops at the
 * first chunk over the limit, so an unexpectedly large object is never held whole.
 */
export async function readBounded(
  stream: Readable,
  zone: StorageZone,
  key: string,
  maxBytes: number,
): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of stream) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
      total += buffer.length;
      if (total > maxBytes) throw new ObjectTooLargeError(zone, key, maxBytes);
      chunks.push(buffer);
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks, total);
}
