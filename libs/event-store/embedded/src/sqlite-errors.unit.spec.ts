import Database from 'better-sqlite3';
import { runInNewContext } from 'node:vm';
import { EventStoreFatalError, EventStoreUnavailableError } from '@medlineage/event-store';
import { sqliteCode, translateSqliteError } from './sqlite-errors';

describe('translateSqliteError', () => {
  it('reads the code of an error whose class comes from another copy of better-sqlite3', () => {
    // What a second module registry (another jest test file, its own realm) receives from the addon.
    const foreign: unknown = runInNewContext(
      "class SqliteError extends Error {}; SqliteError.prototype.name = 'SqliteError';" +
        "Object.assign(new SqliteError('UNIQUE constraint failed'), { code: 'SQLITE_CONSTRAINT_UNIQUE' })",
    );
    expect(foreign).not.toBeInstanceOf(Error);
    expect(foreign).not.toBeInstanceOf(Database.SqliteError);
    expect(sqliteCode(foreign)).toBe('SQLITE_CONSTRAINT_UNIQUE');
    expect(sqliteCode(new Error('plain'))).toBeUndefined();
  });

  it('makes lock contention and disk trouble retriable, the rest fatal', () => {
    const err = (code: string) => new Database.SqliteError('x', code);
    expect(translateSqliteError(err('SQLITE_BUSY'), 'append')).toBeInstanceOf(EventStoreUnavailableError);
    expect(translateSqliteError(err('SQLITE_IOERR_WRITE'), 'append')).toBeInstanceOf(
      EventStoreUnavailableError,
    );
    expect(translateSqliteError(err('SQLITE_FULL'), 'append')).toBeInstanceOf(EventStoreUnavailableError);
    expect(translateSqliteError(err('SQLITE_CORRUPT'), 'append')).toBeInstanceOf(EventStoreFatalError);
    expect(translateSqliteError(new TypeError('x'), 'append')).toBeInstanceOf(EventStoreFatalError);
  });
});
