import { EventStoreError, EventStoreFatalError, EventStoreUnavailableError } from '@medlineage/event-store';

/**
 * Translates SQLite failures into port errors. Lock contention and a full or failing disk may pass
 * (retriable: the transaction rolled back, so a retry with the same ids is safe); corruption,
 * misuse and everything unknown are fatal.
 */
export function translateSqliteError(error: unknown, what: string): EventStoreError {
  if (error instanceof EventStoreError) return error;
  const code = sqliteCode(error);
  if (code !== undefined) {
    const base = code.split('_').slice(0, 2).join('_');
    switch (base) {
      case 'SQLITE_BUSY':
      case 'SQLITE_LOCKED':
      case 'SQLITE_FULL':
      case 'SQLITE_IOERR':
        return new EventStoreUnavailableError(`${what}: ${code}`, { cause: error });
      default:
        return new EventStoreFatalError(`${what}: ${code} ${errorMessage(error)}`, { cause: error });
    }
  }
  return new EventStoreFatalError(`${what}: ${errorMessage(error)}`, { cause: error });
}

/**
 * The SQLite result code of a better-sqlite3 error. Duck-typed, not `instanceof SqliteError`: the
 * native addon binds its error class once per process, so a second copy of the JS module (jest
 * gives each test file its own) receives errors of the first copy's class.
 */
export function sqliteCode(error: unknown): string | undefined {
  // Not even `instanceof Error`: that class comes from another realm too.
  if (typeof error !== 'object' || error === null) return undefined;
  const { name, code } = error as { name?: unknown; code?: unknown };
  return name === 'SqliteError' && typeof code === 'string' ? code : undefined;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
