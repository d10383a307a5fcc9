import {
  ObjectStoreAccessDeniedError,
  ObjectStoreError,
  ObjectStoreFatalError,
  ObjectStoreUnavailableError,
  systemErrorCode,
} from '@medlineage/object-store';

/**
 * Conditions that can clear up by themselves (space freed, descriptors released, a flaky disk or
 * NFS server back): retriable, like SQLITE_FULL in the embedded event store. A disk-full put must
 * surface as "try again later" (HTTP 507/503), never as success or as a permanent rejection.
 */
const UNAVAILABLE = new Set([
  'ENOSPC',
  'EDQUOT',
  'EIO',
  'EMFILE',
  'ENFILE',
  'EAGAIN',
  'EBUSY',
  'ESTALE',
  'ETIMEDOUT',
]);
/** Permissions and read-only mounts: an operator has to act. */
const DENIED = new Set(['EACCES', 'EPERM', 'EROFS']);

/** Translates a filesystem error into a port error; `what` names the operation, zone and key. */
export function translateFsError(error: unknown, what: string): ObjectStoreError {
  if (error instanceof ObjectStoreError) return error;
  const code = systemErrorCode(error);
  if (code !== undefined && UNAVAILABLE.has(code)) {
    return new ObjectStoreUnavailableError(`${what}: ${code}`, { cause: error });
  }
  if (code !== undefined && DENIED.has(code)) {
    return new ObjectStoreAccessDeniedError(`${what}: ${code}`, { cause: error });
  }
  return new ObjectStoreFatalError(
    `${what}: ${code ?? (error instanceof Error ? error.name : 'unknown error')}`,
    {
      cause: error,
    },
  );
}

/** "There is nothing there": the path, or one of its parent directories, does not exist. */
export function isMissing(error: unknown): boolean {
  const code = systemErrorCode(error);
  return code === 'ENOENT' || code === 'ENOTDIR';
}
