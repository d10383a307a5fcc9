import type { StorageZone } from '@medlineage/domain';
import {
  ObjectNotFoundError,
  ObjectStoreAccessDeniedError,
  ObjectStoreError,
  ObjectStoreFatalError,
  ObjectStoreUnavailableError,
  systemErrorCode,
} from '@medlineage/object-store';

/** S3 codes for "no such object" (HEAD answers have no body, so the client says `NotFound`). */
const NOT_FOUND = new Set(['NoSuchKey', 'NotFound', 'NoSuchBucket', 'NoSuchVersion']);

const ACCESS_DENIED = new Set([
  'AccessDenied',
  'AllAccessDisabled',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'InvalidToken',
  'ExpiredToken',
  'AccountProblem',
]);

/**
 * Server-side conditions that pass: throttling, restarts, lost quorum, a full disk, and bodies
 * that arrived damaged (BadDigest: the bytes were corrupted in transit, a resend fixes it).
 */
const UNAVAILABLE = new Set([
  'SlowDown',
  'ServiceUnavailable',
  'InternalError',
  'RequestTimeout',
  'OperationTimedOut',
  'IncompleteBody',
  'BadDigest',
  'XAmzContentSHA256Mismatch',
  'XMinioServerNotInitialized',
  'XMinioStorageFull',
  'XMinioReadQuorum',
  'XMinioWriteQuorum',
  'XMinioBackendDown',
]);

/** Socket-level failures: refused, reset, timed out (our idle timeout too), unreachable, DNS. */
const NETWORK = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'ENOTFOUND',
]);

/**
 * The client retries 5xx/429 itself and, once out of retries, throws a plain Error saying so,
 * without the S3 code: recognised by its message.
 */
const RETRIES_EXHAUSTED = /Retryable HTTP status: \d{3}|Request failed after \d+ retries/;

export interface MinioErrorContext {
  /** The operation, zone and key, for the message. */
  readonly what: string;
  /** Set when "no such key/bucket" means ObjectNotFoundError (get, copy source). */
  readonly object?: { readonly zone: StorageZone; readonly key: string };
}

/**
 * Translates a `minio` client error (an S3Error with a `code`, a Node socket error, or one of the
 * client's own errors) into a port error. Duck-typed on `code`, so this file needs no import of
 * the client. Messages carry our context and the code, not the server's text.
 */
export function translateMinioError(error: unknown, context: MinioErrorContext): ObjectStoreError {
  if (error instanceof ObjectStoreError) return error;
  const code = systemErrorCode(error);
  const { what } = context;
  if (code !== undefined && NOT_FOUND.has(code) && context.object !== undefined) {
    return new ObjectNotFoundError(context.object.zone, context.object.key);
  }
  if (code !== undefined && ACCESS_DENIED.has(code)) {
    return new ObjectStoreAccessDeniedError(`${what}: ${code}`, { cause: error });
  }
  if (code !== undefined && (UNAVAILABLE.has(code) || NETWORK.has(code))) {
    return new ObjectStoreUnavailableError(`${what}: ${code}`, { cause: error });
  }
  if (error instanceof Error && RETRIES_EXHAUSTED.test(error.message)) {
    const status = /status: (\d{3})/.exec(error.message)?.[1] ?? '5xx';
    return new ObjectStoreUnavailableError(`${what}: HTTP ${status} after retries`, { cause: error });
  }
  const name = code ?? (error instanceof Error ? error.name : typeof error);
  return new ObjectStoreFatalError(`${what}: ${name}`, { cause: error });
}

/** "No such key" or "no such bucket": for head (null), delete and list (nothing there). */
export function isMinioNotFound(error: unknown): boolean {
  const code = systemErrorCode(error);
  return code !== undefined && NOT_FOUND.has(code);
}
