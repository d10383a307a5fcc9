import type { Database } from 'better-sqlite3';

/**
 * Versioned DDL, applied in order inside one transaction each; `user_version` records progress.
 * Never edit a shipped migration: append a new one.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE streams (
    stream_id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    revision INTEGER NOT NULL,              -- revision of the last event; -1 while only metadata exists
    metadata TEXT,                          -- JSON StreamMetadata (bigints as strings)
    metadata_revision INTEGER               -- NULL: never set
  ) STRICT;

  -- position is the rowid: assigned max+1 inside the write transaction and never deleted,
  -- so the global order has no gaps even when a writer dies mid-append (the transaction rolls back).
  CREATE TABLE events (
    position INTEGER PRIMARY KEY,
    stream_id INTEGER NOT NULL REFERENCES streams(stream_id),
    revision INTEGER NOT NULL,
    event_id BLOB NOT NULL,                 -- 16-byte UUID, unique within its stream
    type TEXT NOT NULL,
    -- event id (16 bytes) | metadata length (u32 LE) | metadata | data. One BLOB, not three: reads are
    -- bound by the Buffer better-sqlite3 allocates per BLOB column, and views into one are free.
    payload BLOB NOT NULL,
    created_at INTEGER NOT NULL             -- ms since epoch, store clock
  ) STRICT;
  CREATE UNIQUE INDEX events_by_stream ON events(stream_id, revision);
  -- Ids are unique per stream (EventStoreDB's rule too). Keyed by stream first, so inserts land in
  -- one small region of the index: a global index on random UUIDs halved append throughput.
  CREATE UNIQUE INDEX events_by_stream_id ON events(stream_id, event_id);
  `,
];

export function migrate(db: Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(`event store file is schema v${current}; this build knows up to v${MIGRATIONS.length}`);
  }
  MIGRATIONS.slice(current).forEach((ddl, i) => {
    db.transaction(() => {
      db.exec(ddl);
      db.pragma(`user_version = ${current + i + 1}`);
    }).immediate();
  });
}
