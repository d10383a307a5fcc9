import type { Database as Db, Statement } from 'better-sqlite3';
import type { RecordedEvent } from '@medlineage/event-store';
import { SqliteRecordedEvent } from './sqlite-recorded-event';

/** Names per batch of `readStreams`. */
export const STREAMS_PER_BATCH = 64;
/** Events one batch may hold, in pages: bounds memory when a batch names many long streams. */
const PAGES_PER_BATCH = 4;

/** stream_id, position, revision, type, payload, created_at */
type BatchRow = [number, number, number, string, Buffer, number];

interface StreamRow {
  stream_id: number;
  name: string;
  revision: number;
  metadata: string | null;
}

/**
 * Reads many small streams with two queries in all, where `readStream` spends two per stream:
 * with a thousand streams of ten events, per-statement overhead was a third of the read time.
 * Only streams read whole by one plain query qualify: those with retention metadata (which hides
 * events) or more than `pageSize` events are left out of the result for the caller to page.
 */
export class SqliteStreamBatch {
  private readonly streams: Statement;
  private readonly events: Statement;

  constructor(
    db: Db,
    private readonly pageSize: number,
  ) {
    this.streams = db.prepare(
      'SELECT stream_id, name, revision, metadata FROM streams WHERE name IN (SELECT value FROM json_each(?))',
    );
    // In stream-id then revision order: the (stream_id, revision) index, no sort. Rows as arrays:
    // better-sqlite3 builds them measurably faster than objects (no named property per column).
    this.events = db
      .prepare(
        `SELECT e.stream_id, e.position, e.revision, e.type, e.payload, e.created_at FROM events e
         WHERE e.stream_id IN (SELECT value FROM json_each(?)) ORDER BY e.stream_id, e.revision`,
      )
      .raw(true);
  }

  /**
   * Events of each of `names` read here, by name: every event for a stream read whole, none for a
   * stream that does not exist. Names absent from the map must be read one by one.
   */
  read(names: readonly string[]): Map<string, RecordedEvent[]> {
    const out = new Map<string, RecordedEvent[]>(names.map((n) => [n, []]));
    const byId = new Map<number, { name: string; events: RecordedEvent[] }>();
    let budget = 0;
    for (const s of this.streams.all(JSON.stringify(names)) as StreamRow[]) {
      const count = s.revision + 1;
      if (s.metadata !== null || count > this.pageSize || budget + count > PAGES_PER_BATCH * this.pageSize) {
        out.delete(s.name);
        continue;
      }
      budget += count;
      byId.set(s.stream_id, { name: s.name, events: out.get(s.name) ?? [] });
    }
    if (byId.size === 0) return out;
    const rows = this.events.all(JSON.stringify([...byId.keys()])) as BatchRow[];
    for (const [streamId, position, revision, type, payload, createdAt] of rows) {
      const stream = byId.get(streamId);
      stream?.events.push(new SqliteRecordedEvent(stream.name, position, revision, type, payload, createdAt));
    }
    return out;
  }
}
