import { SqliteError } from 'better-sqlite3';
import { EventStoreError, EventStoreFatalError, EventStoreUnavailableError } from '@medlineage/event-store';

/**
 * Translates SQLite failures into port errors. Lock contention and a full or failing disk may pass
 * (retriable: the transaction rolled back, so a retry with the same ids is safe); corruption,
 * misuse and everything unknown are fatal.
 */
export function translateSqliteError(error: unknown, what: string): EventStoreError {
  if (error instanceof EventStoreError) return error;
  if (error instanceof SqliteError) {
    const base = error.code.split('_').slice(0, 2).join('_');
    switch (base) {
      case 'SQLITE_BUSY':
      case 'SQLITE_LOCKED':
      case 'SQLITE_FULL':
      case 'SQLITE_IOERR':
        return new EventStoreUnavailableError(`${what}: ${error.code}`, { cause: error });
      default:
        return new EventStoreFatalError(`${what}: ${error.code} ${error.message}`, { cause: error });
    }
  }
  return new EventStoreFatalError(`${what}: ${error instanceof Error ? error.message : String(error)}`, {
    cause: error,
  });
}
