import type { StorageZone } from '@medlineage/domain';

/**
 * Every failure an object store adapter raises. `type` is a stable discriminator; `retriable`
 * says whether repeating the SAME call may succeed. Adapters translate vendor and filesystem
 * errors into these, so callers never see a vendor class.
 *
 * Messages name the zone and (content-derived) key, never a caller's file name, a refused key's
 * text or object content: messages end up in logs and dead-letter records, and file names from
 * modalities often carry patient names.
 */
export abstract class ObjectStoreError extends Error {
  abstract readonly type: string;
  abstract readonly retriable: boolean;
}

/** No object at this key in this zone (never written, or deleted). */
export class ObjectNotFoundError extends ObjectStoreError {
  readonly type = 'not-found';
  readonly retriable = false;
  constructor(
    readonly zone: StorageZone,
    readonly key: string,
  ) {
    super(`no object at ${key} in zone ${zone}`);
    this.name = 'ObjectNotFoundError';
  }
}

/**
 * Bytes do not match what they were declared or stored to be: on put, the caller's
 * `expectedSha256` / `expectedSizeBytes`; on read, the SHA-256 the content key names (the stored
 * object is corrupt). Nothing was stored by a put that fails this way.
 */
export class ObjectChecksumMismatchError extends ObjectStoreError {
  readonly type = 'checksum-mismatch';
  readonly retriable = false;
  constructor(
    readonly zone: StorageZone,
    /** The object's key on read; `null` on put (a key exists only once the content is known). */
    readonly key: string | null,
    readonly field: 'sha256' | 'sizeBytes',
    readonly expected: string,
    readonly actual: string,
  ) {
    super(
      `${key === null ? 'put to' : `object ${key} in`} zone ${zone}: ${field} mismatch (expected ${expected}, got ${actual})`,
    );
    this.name = 'ObjectChecksumMismatchError';
  }
}

/** More bytes than the caller's `maxBytes` (put) or `maxBytes` (getBytes). Reading stopped there. */
export class ObjectTooLargeError extends ObjectStoreError {
  readonly type = 'too-large';
  readonly retriable = false;
  constructor(
    readonly zone: StorageZone,
    /** `null` on put, as for {@link ObjectChecksumMismatchError}. */
    readonly key: string | null,
    readonly limitBytes: number,
  ) {
    super(`${key === null ? 'put to' : `object ${key} in`} zone ${zone}: more than ${limitBytes} bytes`);
    this.name = 'ObjectTooLargeError';
  }
}

/**
 * A key outside our grammar (`sha256/<h0h1>/<h2h3>/<64 hex>`): traversal, encoding tricks,
 * control characters, oversize... Raised before any I/O. The refused text is NOT in the message
 * (it may be a file name, or hostile); only why it was refused and its length.
 */
export class InvalidObjectKeyError extends ObjectStoreError {
  readonly type = 'invalid-key';
  readonly retriable = false;
  constructor(
    readonly reason: string,
    /** UTF-8 length of the refused key, or -1 when it was not a string. */
    readonly keyLengthBytes: number,
  ) {
    super(
      `object key refused: ${reason} (${keyLengthBytes < 0 ? 'not a string' : `${keyLengthBytes} bytes`})`,
    );
    this.name = 'InvalidObjectKeyError';
  }
}

/** The request itself is wrong (unknown zone, malformed expected checksum, negative limit). */
export class InvalidObjectStoreRequestError extends ObjectStoreError {
  readonly type = 'invalid-request';
  readonly retriable = false;
  constructor(message: string) {
    super(message);
    this.name = 'InvalidObjectStoreRequestError';
  }
}

/**
 * Reading the caller's source failed (its stream errored, its file could not be opened). Nothing
 * was stored. The source's own error is deliberately not attached: it may name a local file.
 */
export class ObjectSourceError extends ObjectStoreError {
  readonly type = 'source-failed';
  readonly retriable = false;
  constructor(
    readonly zone: StorageZone,
    /** The source error's `code` (e.g. `ENOENT`), when it had one. */
    readonly code: string | undefined,
  ) {
    super(`put to zone ${zone}: reading the source failed${code === undefined ? '' : ` (${code})`}`);
    this.name = 'ObjectSourceError';
  }
}

/** Credentials or policies refuse the call. Not retriable without a configuration change. */
export class ObjectStoreAccessDeniedError extends ObjectStoreError {
  readonly type = 'access-denied';
  readonly retriable = false;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ObjectStoreAccessDeniedError';
  }
}

/**
 * The store could not be reached, did not answer in time, asked us to slow down, or is out of
 * space. Retry the same call later: puts are idempotent (same content, same key), so a put whose
 * outcome is unknown can simply be repeated.
 */
export class ObjectStoreUnavailableError extends ObjectStoreError {
  readonly type = 'unavailable';
  readonly retriable = true;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ObjectStoreUnavailableError';
  }
}

/** Anything else the store reported; fatal so that it is looked at, not retried forever. */
export class ObjectStoreFatalError extends ObjectStoreError {
  readonly type = 'fatal';
  readonly retriable = false;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ObjectStoreFatalError';
  }
}

export function isRetriableObjectStoreError(error: unknown): boolean {
  return error instanceof ObjectStoreError && error.retriable;
}

/**
 * The `code` of a Node system error (`ENOENT`, `ECONNRESET`…) or of a client error that carries
 * one (an S3 code), if it has a string one.
 */
export function systemErrorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') {
    return error.code;
  }
  return undefined;
}
