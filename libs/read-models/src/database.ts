import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type Transaction } from 'kysely';
import { Pool } from 'pg';
import type { ReadModelSchema } from './schema';

export type ReadModelDb = Kysely<ReadModelSchema>;
export type ReadModelTransaction = Transaction<ReadModelSchema>;
export type ReadModelDialect = 'sqlite' | 'postgres';

/**
 * Where the read models live:
 * - `sqlite:<path>` (or `sqlite::memory:`): one better-sqlite3 file in WAL mode (the demo: next to
 *   the embedded `events.db`);
 * - `postgres://…` / `postgresql://…`: a pg Pool. `schema`, when given, becomes the connection's
 *   `search_path` (tests use a throw-away schema per run).
 */
export interface ReadModelDatabaseConfig {
  readonly url: string;
  readonly schema?: string;
  /** @defaultValue 10 */
  readonly poolSize?: number;
}

/** The read-model URL of an embedded (demo) data directory: `read-models.db` beside `events.db`. */
export function embeddedReadModelUrl(dataDir: string): string {
  return `sqlite:${join(dataDir, 'read-models.db')}`;
}

export class ReadModelDatabase {
  private constructor(
    readonly db: ReadModelDb,
    readonly dialect: ReadModelDialect,
  ) {}

  static open(config: ReadModelDatabaseConfig): ReadModelDatabase {
    const { url } = config;
    if (url.startsWith('sqlite:')) {
      const path = url.slice('sqlite:'.length);
      if (path.length === 0) throw new RangeError('sqlite read-model URL needs a path: sqlite:<path>');
      const database = new Database(path);
      database.pragma('journal_mode = WAL');
      database.pragma('synchronous = NORMAL');
      database.pragma('busy_timeout = 5000');
      return new ReadModelDatabase(
        new Kysely<ReadModelSchema>({ dialect: new SqliteDialect({ database }) }),
        'sqlite',
      );
    }
    if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
      if (config.schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(config.schema)) {
        throw new RangeError(`not a plain schema name: ${JSON.stringify(config.schema)}`);
      }
      const pool = new Pool({
        connectionString: url,
        max: config.poolSize ?? 10,
        ...(config.schema === undefined ? {} : { options: `-c search_path=${config.schema}` }),
      });
      return new ReadModelDatabase(
        new Kysely<ReadModelSchema>({ dialect: new PostgresDialect({ pool }) }),
        'postgres',
      );
    }
    throw new RangeError('read-model database URL must start with sqlite: or postgres://');
  }

  close(): Promise<void> {
    return this.db.destroy();
  }
}
