import { createHash } from 'node:crypto';
import type { StorageZone } from '@medlineage/domain';
import type { ObjectStore } from '@medlineage/object-store';

/** What ingest learns from one pass over an object's bytes. */
export interface ObjectRead {
  /** First bytes, for sniffing. */
  readonly head: Buffer;
  /** The whole content when it is small enough to parse in memory, else null. */
  readonly content: Buffer | null;
  readonly sha256: string;
  readonly sizeBytes: number;
}

export const SNIFF_BYTES = 64 * 1024;

/**
 * Streams an object once: hashes it, keeps the head for sniffing and, up to `keepWholeUpTo`
 * bytes, the whole content for parsing. Large genomics files therefore never sit in memory.
 * The store's own read verification fails the stream if stored bytes are corrupt.
 */
export async function readObject(
  store: ObjectStore,
  zone: StorageZone,
  key: string,
  keepWholeUpTo: number,
): Promise<ObjectRead> {
  const stream = await store.get(zone, key);
  const hash = createHash('sha256');
  let kept: Buffer[] = [];
  let keptBytes = 0;
  let size = 0;
  let whole = true;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
    if (whole && size > keepWholeUpTo) {
      // Too big to keep: retain only what sniffing needs (a copy, so the rest can be freed).
      whole = false;
      kept = [Buffer.from(Buffer.concat(kept).subarray(0, SNIFF_BYTES))];
      keptBytes = kept[0]?.length ?? 0;
    }
    if (whole) {
      kept.push(chunk);
      keptBytes += chunk.length;
    } else if (keptBytes < SNIFF_BYTES) {
      const part = chunk.subarray(0, SNIFF_BYTES - keptBytes);
      kept.push(part);
      keptBytes += part.length;
    }
  }
  const joined = Buffer.concat(kept);
  return {
    head: joined.subarray(0, SNIFF_BYTES),
    content: whole ? joined : null,
    sha256: hash.digest('hex'),
    sizeBytes: size,
  };
}
