import type { StorageZone } from '@medlineage/domain';
import { keySha256, type ObjectStore } from '@medlineage/object-store';

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
 * Streams an object once, keeping the head for sniffing and, up to `keepWholeUpTo` bytes, the
 * whole content for parsing; large genomics files therefore never sit in memory. The store's read
 * is verified against the SHA-256 in the content key (the stream fails at its end otherwise), so
 * reaching the end IS the checksum check: the digest is the key's.
 */
export async function readObject(
  store: ObjectStore,
  zone: StorageZone,
  key: string,
  keepWholeUpTo: number,
): Promise<ObjectRead> {
  const stream = await store.get(zone, key);
  let kept: Buffer[] = [];
  let keptBytes = 0;
  let size = 0;
  let whole = true;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
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
    sha256: keySha256(key),
    sizeBytes: size,
  };
}
