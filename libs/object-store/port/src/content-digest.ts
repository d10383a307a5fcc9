import { createHash, type Hash } from 'node:crypto';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { StorageZone } from '@medlineage/domain';
import {
  ObjectChecksumMismatchError,
  ObjectSourceError,
  ObjectStoreError,
  ObjectTooLargeError,
  systemErrorCode,
} from './object-store-errors';
import type { ContentFacts, PutLimits } from './request-validation';

/**
 * A pass-through that hashes and counts what a put writes, and fails the moment the content
 * exceeds `maxBytes` or the declared size, so an oversized upload is cut off instead of being
 * read to its end. Adapters pipe sources through it on the way to their staging area.
 */
export class ContentDigest extends Transform {
  private readonly hash: Hash = createHash('sha256');
  private bytes = 0;
  private facts: ContentFacts | undefined;

  constructor(
    private readonly zone: StorageZone,
    private readonly limits: PutLimits,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    const { maxBytes, expectedSizeBytes } = this.limits;
    if (maxBytes !== undefined && this.bytes > maxBytes) {
      callback(new ObjectTooLargeError(this.zone, null, maxBytes));
      return;
    }
    if (expectedSizeBytes !== undefined && this.bytes > expectedSizeBytes) {
      const actual = `more than ${expectedSizeBytes}`;
      callback(
        new ObjectChecksumMismatchError(this.zone, null, 'sizeBytes', String(expectedSizeBytes), actual),
      );
      return;
    }
    this.hash.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    this.facts = { sha256: this.hash.digest('hex'), sizeBytes: this.bytes };
    callback();
  }

  /** SHA-256 and size of everything that passed; only once the stream has ended. */
  result(): ContentFacts {
    if (this.facts === undefined) throw new Error('ContentDigest.result() before the stream ended');
    return this.facts;
  }
}

/** Facts of bytes already in memory. */
export function digestBytes(bytes: Uint8Array): ContentFacts {
  return { sha256: createHash('sha256').update(bytes).digest('hex'), sizeBytes: bytes.byteLength };
}

/**
 * Streams `source` through a {@link ContentDigest} into `write`, one chunk at a time: awaiting
 * each write is the back-pressure, so memory stays at a chunk plus stream buffers (plus whatever
 * `write` itself holds, e.g. one multipart part).
 *
 * Failures are told apart, which `pipeline` alone does not do (it destroys every stream on the
 * first error, so the source "emits" the sink's error too, and a throwing consumer surfaces as an
 * AbortError): the digest's limits throw their port errors, `write`'s errors are rethrown as they
 * are for the adapter to translate, and anything else came from the source and becomes
 * `sourceError(error)` — by default an {@link ObjectSourceError} carrying only the error's code.
 */
export async function pumpThroughDigest(
  zone: StorageZone,
  source: Readable,
  limits: PutLimits,
  write: (chunk: Buffer) => Promise<void>,
  sourceError: (error: unknown) => ObjectStoreError = (error) =>
    new ObjectSourceError(zone, systemErrorCode(error)),
): Promise<ContentFacts> {
  const digest = new ContentDigest(zone, limits);
  // Kept aside because pipeline rejects with an AbortError, not this, when the consumer throws.
  let writeFailure: { readonly error: unknown } | undefined;
  try {
    await pipeline(source, digest, async (chunks: AsyncIterable<Buffer>) => {
      for await (const chunk of chunks) {
        try {
          await write(chunk);
        } catch (error: unknown) {
          writeFailure = { error };
          throw error;
        }
      }
    });
  } catch (error: unknown) {
    if (writeFailure !== undefined) throw writeFailure.error;
    if (error instanceof ObjectStoreError) throw error;
    throw sourceError(error);
  }
  return digest.result();
}
