import type { Readable } from 'node:stream';
import type { ObjectLocation, StorageZone } from '@medlineage/domain';

/**
 * What a put reads: a stream (consumed exactly once, never buffered whole), bytes already in
 * memory, or a local file the adapter opens itself. The file name is never used for the key and
 * never appears in errors.
 */
export type PutSource = Readable | Uint8Array | { readonly path: string };

export interface PutOptions {
  /** Hex SHA-256 the content must have (either case); a mismatch stores nothing. */
  readonly expectedSha256?: string;
  /** Exact size the content must have; a mismatch stores nothing. */
  readonly expectedSizeBytes?: number;
  /** Refuse content larger than this; reading stops at the first byte over it. */
  readonly maxBytes?: number;
}

/** One stored object: where it is (the domain's `ObjectLocation`) plus its verified facts. */
export interface StoredObject extends ObjectLocation {
  /** Lower-case hex SHA-256, computed by the store while writing (never taken from the caller). */
  readonly sha256: string;
  readonly sizeBytes: number;
}

/**
 * The object store port. Two adapters implement it (filesystem, MinIO/S3) and one contract suite
 * (`@medlineage/object-store/testing`) holds both to the same semantics.
 *
 * Objects are content-addressed: the key is `contentKey(sha256)`, so a put is idempotent and a
 * read can always be verified against its key. Zones are separate namespaces (buckets or
 * directories); moving between them is an explicit, verified {@link ObjectStore.copy}.
 */
export interface ObjectStore {
  /**
   * Stores content and returns where it landed. SHA-256 and size are computed while writing; if
   * they do not match the caller's expectations, or `maxBytes` is exceeded, nothing becomes
   * visible at the content key (the bytes are staged first and published only once verified).
   * Storing content that is already there writes nothing new and returns the existing object.
   * @throws ObjectChecksumMismatchError, ObjectTooLargeError, ObjectSourceError,
   *   InvalidObjectStoreRequestError, ObjectStoreUnavailableError (retriable)…
   */
  put(zone: StorageZone, source: PutSource, options?: PutOptions): Promise<StoredObject>;

  /**
   * Streams an object. The stream is verified against the key's SHA-256 as it flows and errors
   * with {@link ObjectChecksumMismatchError} at the end if the stored bytes are corrupt, so a
   * consumer must treat the content as trusted only once the stream has ended without error.
   * @throws ObjectNotFoundError (rejects before any byte is delivered), InvalidObjectKeyError…
   */
  get(zone: StorageZone, key: string): Promise<Readable>;

  /**
   * Reads a whole object into memory, verified. Refuses objects over `maxBytes` (which the
   * caller must choose: there is deliberately no default).
   * @throws ObjectNotFoundError, ObjectTooLargeError, ObjectChecksumMismatchError…
   */
  getBytes(zone: StorageZone, key: string, options: { readonly maxBytes: number }): Promise<Uint8Array>;

  /** The object's stored facts, or `null` when there is no object at the key. Reads no content. */
  head(zone: StorageZone, key: string): Promise<StoredObject | null>;

  /**
   * Copies an object to another zone (promotion, e.g. QUARANTINE → HOT) and verifies the
   * destination. Idempotent: an object already at the destination is returned as is. The source
   * is left in place; delete it separately once the copy is recorded.
   * @throws ObjectNotFoundError when the source does not exist.
   */
  copy(fromZone: StorageZone, key: string, toZone: StorageZone): Promise<StoredObject>;

  /** Removes an object. Idempotent: deleting a missing object succeeds. */
  delete(zone: StorageZone, key: string): Promise<void>;

  /**
   * Keys in a zone, in ascending order, optionally only those starting with `prefix` (which must
   * be a prefix of the key grammar). Staged, unpublished data is never listed.
   */
  list(zone: StorageZone, prefix?: string): AsyncIterable<string>;

  /** Releases connections and handles. */
  close(): Promise<void>;
}

/** Data held for a put that has not been published (in flight, or left behind by a crash). */
export interface StagedUpload {
  readonly zone: StorageZone;
  /** Adapter-specific identifier of the staged data (a temporary file or object name). */
  readonly id: string;
  /** Bytes the backend has durably received so far. */
  readonly bytes: number;
}

/**
 * Inspection of staged data, for operations (what is taking space) and for tests: a put that
 * fails must leave nothing staged, and a streaming put shows its bytes arriving at the backend
 * while the source is still being read.
 */
export interface ObjectStoreStaging {
  listStaging(zone: StorageZone): Promise<StagedUpload[]>;
}
