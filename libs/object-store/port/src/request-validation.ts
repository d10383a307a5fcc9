import { open, type FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { StorageZone } from '@medlineage/domain';
import { isSha256Hex, validateObjectKey } from './object-keys';
import type { PutOptions, PutSource } from './object-store';
import {
  InvalidObjectStoreRequestError,
  ObjectChecksumMismatchError,
  ObjectSourceError,
  ObjectTooLargeError,
  systemErrorCode,
} from './object-store-errors';
import { validateZone } from './zones';

/** Put options after validation: checksum lower-cased, limits checked to be sane integers. */
export interface PutLimits {
  readonly expectedSha256: string | undefined;
  readonly expectedSizeBytes: number | undefined;
  readonly maxBytes: number | undefined;
}

/** The content's facts as computed while it was read. */
export interface ContentFacts {
  readonly sha256: string;
  readonly sizeBytes: number;
}

/**
 * Checks shared by every adapter, before any I/O: the zone is a zone, the expectations and
 * limits are well formed. Returns the normalized limits.
 */
export function validatePut(zone: unknown, source: unknown, options: PutOptions = {}): PutLimits {
  validateZone(zone);
  if (!isPutSource(source)) {
    throw new InvalidObjectStoreRequestError('put source must be a Readable, a Uint8Array or { path }');
  }
  const { expectedSha256, expectedSizeBytes, maxBytes } = options;
  if (expectedSha256 !== undefined && !isSha256Hex(expectedSha256)) {
    throw new InvalidObjectStoreRequestError('expectedSha256 must be 64 hex digits');
  }
  for (const [name, value] of [
    ['expectedSizeBytes', expectedSizeBytes],
    ['maxBytes', maxBytes],
  ] as const) {
    if (value !== undefined && !(Number.isSafeInteger(value) && value >= 0)) {
      throw new InvalidObjectStoreRequestError(`${name} must be a non-negative integer`);
    }
  }
  return { expectedSha256: expectedSha256?.toLowerCase(), expectedSizeBytes, maxBytes };
}

/**
 * For sources whose size is known up front (bytes, a file's stat): refuses before anything is
 * written. The streaming checks still run, since a file can change after its stat.
 */
export function checkKnownSize(zone: StorageZone, sizeBytes: number, limits: PutLimits): void {
  if (limits.maxBytes !== undefined && sizeBytes > limits.maxBytes) {
    throw new ObjectTooLargeError(zone, null, limits.maxBytes);
  }
  if (limits.expectedSizeBytes !== undefined && sizeBytes !== limits.expectedSizeBytes) {
    throw new ObjectChecksumMismatchError(
      zone,
      null,
      'sizeBytes',
      String(limits.expectedSizeBytes),
      String(sizeBytes),
    );
  }
}

/**
 * Opens a `{ path }` put source and refuses it by its size before anything is written (see
 * {@link checkKnownSize}). Failing to open or stat the file is an {@link ObjectSourceError} with
 * the error's code only: the error's message names the file. On refusal the file is closed.
 */
export async function openFileSource(zone: StorageZone, path: string, limits: PutLimits): Promise<Readable> {
  let file: FileHandle;
  try {
    file = await open(path, 'r');
  } catch (error: unknown) {
    throw new ObjectSourceError(zone, systemErrorCode(error));
  }
  try {
    let size: number;
    try {
      size = (await file.stat()).size;
    } catch (error: unknown) {
      throw new ObjectSourceError(zone, systemErrorCode(error));
    }
    checkKnownSize(zone, size, limits);
  } catch (error: unknown) {
    await file.close();
    throw error;
  }
  return file.createReadStream();
}

/** After the content was read in full: do its facts match what the caller declared? */
export function checkExpectations(zone: StorageZone, facts: ContentFacts, limits: PutLimits): void {
  checkKnownSize(zone, facts.sizeBytes, limits);
  if (limits.expectedSha256 !== undefined && facts.sha256 !== limits.expectedSha256) {
    throw new ObjectChecksumMismatchError(zone, null, 'sha256', limits.expectedSha256, facts.sha256);
  }
}

/** Zone and key of a read, copy or delete, checked before any I/O. */
export function validateObjectRequest(zone: unknown, key: unknown): { zone: StorageZone; key: string } {
  return { zone: validateZone(zone), key: validateObjectKey(key) };
}

/** `getBytes`' limit: a non-negative integer, required. */
export function validateReadLimit(maxBytes: unknown): number {
  if (typeof maxBytes !== 'number' || !Number.isSafeInteger(maxBytes) || maxBytes < 0) {
    throw new InvalidObjectStoreRequestError('getBytes needs maxBytes, a non-negative integer');
  }
  return maxBytes;
}

/** A validated source, by kind. */
export type ClassifiedSource =
  | { readonly kind: 'bytes'; readonly bytes: Uint8Array }
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'stream'; readonly stream: Readable };

export function classifySource(source: PutSource): ClassifiedSource {
  if (source instanceof Uint8Array) return { kind: 'bytes', bytes: source };
  // Streams first: an fs.ReadStream also has a `path`, but its own start/end must be honoured.
  if (isStream(source)) return { kind: 'stream', stream: source };
  return { kind: 'file', path: source.path };
}

function isPutSource(source: unknown): source is PutSource {
  if (source instanceof Uint8Array) return true;
  if (typeof source !== 'object' || source === null) return false;
  if (isStream(source)) return true;
  return 'path' in source && typeof source.path === 'string' && source.path !== '';
}

function isStream(source: object): source is Readable {
  return 'pipe' in source && typeof source.pipe === 'function';
}
