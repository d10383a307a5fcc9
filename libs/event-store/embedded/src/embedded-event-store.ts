import Database, { type Database as Db, type Statement, type Transaction } from 'better-sqlite3';
import { EventEmitter } from 'node:events';
import {
  DEFAULT_MAX_APPEND_BYTES,
  DuplicateEventIdError,
  ExpectedVersionConflictError,
  streamCategory,
  validateAppend,
  validateStreamName,
  type AllSubscription,
  type AppendResult,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  type GlobalPosition,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type StreamEvents,
  type StreamMetadata,
  type StreamMetadataResult,
  type SubscribeToAllOptions,
} from '@medlineage/event-store';
import { migrate } from './sqlite-schema';
import { sqliteCode, translateSqliteError } from './sqlite-errors';
import { SqliteStreamBatch, STREAMS_PER_BATCH } from './sqlite-stream-batch';
import { SqliteAllSubscription, type SubscriptionSource } from './sqlite-subscription';
import { packPayload, pos, toRecorded, type EventRow, type NamedEventRow } from './sqlite-recorded-event';
import { bytesToUuid, uuidToBytes } from './uuid-bytes';
import { yieldToEventLoop } from './yield-to-event-loop';

export interface EmbeddedEventStoreOptions {
  /** Database file; `':memory:'` for a throwaway store. */
  readonly path: string;
  /**
   * `full` fsyncs every commit (an acknowledged append survives power loss); `normal` fsyncs at WAL
   * checkpoints only (survives a killed process, may lose the last commits on power loss).
   * @defaultValue 'full'
   */
  readonly synchronous?: 'full' | 'normal';
  /** How often live subscriptions look for appends made by OTHER processes. @defaultValue 100 */
  readonly pollIntervalMs?: number;
  /** @defaultValue DEFAULT_MAX_APPEND_BYTES */
  readonly maxAppendBytes?: number;
  /** Store clock for `createdAt`. @defaultValue () => new Date() */
  readonly clock?: () => Date;
}

interface StreamRow {
  stream_id: number;
  revision: number;
}

const PAGE = 1000;
const BUSY_TIMEOUT_MS = 5000;

/** One in-process notifier per database file, so every store instance on the file wakes its subscribers. */
const notifiers = new Map<string, EventEmitter>();

/**
 * The default event store: one SQLite file in WAL mode (better-sqlite3). Appends run in
 * `BEGIN IMMEDIATE` transactions, so a batch is all-or-nothing even if the process is killed
 * mid-append, and the global position (the rowid) has no gaps. Several processes may share the
 * file; SQLite serialises their writes.
 */
export class EmbeddedEventStore implements EventStore {
  private readonly db: Db;
  private readonly clock: () => Date;
  private readonly maxAppendBytes: number;
  private readonly pollIntervalMs: number;
  private readonly notifier: EventEmitter;
  private readonly subscriptions = new Set<SqliteAllSubscription>();
  private readonly stmt: ReturnType<typeof prepare>;
  private readonly streamBatch: SqliteStreamBatch;
  private readonly appendTx: Transaction<
    (name: string, events: readonly EventToAppend[], expected: ExpectedRevision) => AppendOutcome
  >;
  private closed = false;

  constructor(options: EmbeddedEventStoreOptions) {
    this.clock = options.clock ?? (() => new Date());
    this.maxAppendBytes = options.maxAppendBytes ?? DEFAULT_MAX_APPEND_BYTES;
    this.pollIntervalMs = options.pollIntervalMs ?? 100;
    try {
      this.db = new Database(options.path);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma(`synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
      this.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      this.db.pragma('foreign_keys = ON');
      migrate(this.db);
      this.stmt = prepare(this.db);
      this.streamBatch = new SqliteStreamBatch(this.db, PAGE);
      this.appendTx = this.db.transaction(
        (name: string, events: readonly EventToAppend[], expected: ExpectedRevision) =>
          this.appendInTransaction(name, events, expected),
      );
    } catch (error) {
      throw translateSqliteError(error, `opening event store ${options.path}`);
    }
    const key = options.path === ':memory:' ? `memory:${Math.random()}` : options.path;
    this.notifier = notifiers.get(key) ?? new EventEmitter().setMaxListeners(0);
    notifiers.set(key, this.notifier);
  }

  appendToStream(
    streamName: string,
    events: readonly EventToAppend[],
    options: { readonly expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    try {
      this.assertOpen();
      validateAppend(streamName, events, this.maxAppendBytes);
      const result = this.appendTx.immediate(streamName, events, options.expectedRevision);
      if (result.appended) this.notifier.emit('append');
      return Promise.resolve(result.result);
    } catch (error) {
      return Promise.reject(translateSqliteError(error, `append to ${streamName}`));
    }
  }

  private appendInTransaction(
    streamName: string,
    events: readonly EventToAppend[],
    expected: ExpectedRevision,
  ): AppendOutcome {
    const stream = this.stmt.getStream.get(streamName) as StreamRow | undefined;
    const current = stream?.revision ?? -1;
    const conflict = () =>
      new ExpectedVersionConflictError(streamName, expected, current < 0 ? null : BigInt(current));

    let startAt: number;
    if (expected === 'no_stream') {
      if (current >= 0) return this.repeatOrThrow(stream, 0, events, conflict);
      startAt = 0;
    } else if (expected === 'any' || expected === 'stream_exists') {
      if (expected === 'stream_exists' && current < 0) throw conflict();
      const repeat = this.repeatByIds(stream, events, conflict);
      if (repeat) return repeat;
      startAt = current + 1;
    } else {
      const exp = Number(expected);
      if (exp === current) startAt = current + 1;
      else if (exp < current && exp >= -1) return this.repeatOrThrow(stream, exp + 1, events, conflict);
      else throw conflict();
    }

    const streamId =
      stream?.stream_id ?? (this.stmt.insertStream.get(streamName) as { stream_id: number }).stream_id;
    const createdAt = this.clock().getTime();
    let position = 0;
    let revision = startAt;
    for (const e of events) {
      try {
        position = Number(
          this.stmt.insertEvent.run(streamId, revision, uuidToBytes(e.id), e.type, packPayload(e), createdAt)
            .lastInsertRowid,
        );
      } catch (error) {
        if (isUniqueViolation(error)) throw new DuplicateEventIdError(streamName, e.id);
        throw error;
      }
      revision += 1;
    }
    this.stmt.setRevision.run(revision - 1, streamId);
    return {
      appended: true,
      result: { nextExpectedRevision: BigInt(revision - 1), position: pos(position) },
    };
  }

  /** The events are already in the stream from `from` on (a retry): succeed with the original result. */
  private repeatOrThrow(
    stream: StreamRow | undefined,
    from: number,
    events: readonly EventToAppend[],
    conflict: () => Error,
  ): AppendOutcome {
    if (!stream) throw conflict();
    const rows = this.stmt.idsFrom.all(stream.stream_id, from, events.length) as {
      revision: number;
      event_id: Buffer;
      position: number;
    }[];
    const last = rows[rows.length - 1];
    const same =
      rows.length === events.length &&
      rows.every((r, i) => bytesToUuid(r.event_id) === events[i]?.id.toLowerCase());
    if (!same || !last) throw conflict();
    return {
      appended: false,
      result: { nextExpectedRevision: BigInt(last.revision), position: pos(last.position) },
    };
  }

  /** Under `any`/`stream_exists` a repeat is recognised by its first event id. */
  private repeatByIds(
    stream: StreamRow | undefined,
    events: readonly EventToAppend[],
    conflict: () => Error,
  ): AppendOutcome | undefined {
    const first = events[0];
    if (!stream || !first) return undefined;
    const found = this.stmt.byId.get(stream.stream_id, uuidToBytes(first.id)) as
      { revision: number } | undefined;
    return found ? this.repeatOrThrow(stream, found.revision, events, conflict) : undefined;
  }

  async *readStream(streamName: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    validateStreamName(streamName);
    this.assertOpen();
    const backwards = options.direction === 'backwards';
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    const stream = this.run(() => this.stmt.getStreamFull.get(streamName)) as
      (StreamRow & { metadata: string | null }) | undefined;
    if (!stream || stream.revision < 0) return;
    const visible = visibleWindow(stream.revision, parseMetadata(stream.metadata), this.clock());
    let cursor =
      options.fromRevision === undefined || options.fromRevision === (backwards ? 'end' : 'start')
        ? backwards
          ? stream.revision
          : visible.minRevision
        : options.fromRevision === 'start'
          ? visible.minRevision
          : options.fromRevision === 'end'
            ? stream.revision
            : Number(options.fromRevision);
    if (!backwards) cursor = Math.max(cursor, visible.minRevision);
    while (remaining > 0) {
      const limit = Math.min(PAGE, remaining);
      const rows = this.run(() =>
        (backwards ? this.stmt.streamBackwards : this.stmt.streamForwards).all(
          stream.stream_id,
          cursor,
          visible.minRevision,
          visible.minCreatedAt,
          limit,
        ),
      ) as EventRow[];
      for (const row of rows) yield toRecorded(row, streamName);
      remaining -= rows.length;
      const last = rows[rows.length - 1];
      if (rows.length < limit || !last) return;
      // Only between full pages: a short read (most streams) costs no extra event-loop turn.
      await yieldToEventLoop();
      cursor = backwards ? last.revision - 1 : last.revision + 1;
    }
  }

  async *readStreams(streamNames: readonly string[]): AsyncIterable<StreamEvents> {
    for (const name of streamNames) validateStreamName(name);
    for (let i = 0; i < streamNames.length; i += STREAMS_PER_BATCH) {
      if (i > 0) await yieldToEventLoop();
      const names = streamNames.slice(i, i + STREAMS_PER_BATCH);
      const batch = this.run(() => this.streamBatch.read(names));
      for (const streamName of names) {
        let events = batch.get(streamName);
        if (events === undefined) {
          // Long or under retention settings: the paged, filtered path.
          events = [];
          for await (const e of this.readStream(streamName)) events.push(e);
        }
        yield { streamName, events };
      }
    }
  }

  streamRevision(streamName: string): Promise<bigint | null> {
    validateStreamName(streamName);
    const row = this.run(() => this.stmt.getStream.get(streamName)) as StreamRow | undefined;
    return Promise.resolve(row && row.revision >= 0 ? BigInt(row.revision) : null);
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    this.assertOpen();
    const backwards = options.direction === 'backwards';
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    const from = options.fromPosition ?? (backwards ? 'end' : 'start');
    // Positions are sequence numbers from 1; forwards is inclusive, backwards exclusive.
    let cursor =
      from === 'start' ? (backwards ? 1 : 0) : from === 'end' ? Number.MAX_SAFE_INTEGER : Number(from.commit);
    if (!backwards) cursor -= 1; // query takes "after"
    while (remaining > 0) {
      const limit = Math.min(PAGE, remaining);
      const rows = this.run(() =>
        (backwards ? this.stmt.allBackwards : this.stmt.allForwards).all(cursor, limit),
      ) as NamedEventRow[];
      for (const row of rows) yield toRecorded(row, row.name);
      remaining -= rows.length;
      const last = rows[rows.length - 1];
      if (rows.length < limit || !last) return;
      await yieldToEventLoop();
      cursor = last.position;
    }
  }

  headPosition(): Promise<GlobalPosition | null> {
    const head = this.run(() => this.stmt.head.get()) as { head: number | null };
    return Promise.resolve(head.head === null ? null : pos(head.head));
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): AllSubscription {
    this.assertOpen();
    const from = options.fromPosition ?? 'start';
    const source: SubscriptionSource = {
      page: (after, head, limit) => this.subscriptionPage(after, head, limit, options.filter),
      head: () => (this.run(() => this.stmt.head.get()) as { head: number | null }).head ?? 0,
      notifier: this.notifier,
      pollIntervalMs: this.pollIntervalMs,
    };
    const sub = new SqliteAllSubscription(source, from === 'start' ? 0 : Number(from.commit), () =>
      this.subscriptions.delete(sub),
    );
    this.subscriptions.add(sub);
    return sub;
  }

  private subscriptionPage(
    after: number,
    head: number,
    limit: number,
    filter: SubscribeToAllOptions['filter'],
  ): { events: RecordedEvent[]; scannedTo: number } {
    const categories = filter?.categories && new Set(filter.categories);
    if (filter?.eventTypes !== undefined) {
      // The next `limit` positions (the log has no gaps), only rows of the wanted types: the scan
      // stays on the primary key, and rows of other types are never copied out of SQLite (a
      // projection of a few event types otherwise read, and threw away, the whole log).
      const types = JSON.stringify(filter.eventTypes);
      const to = Math.min(head, after + limit);
      const rows = this.run(() => this.stmt.typedRange.all(after, to, types)) as NamedEventRow[];
      const out: RecordedEvent[] = [];
      for (const row of rows) {
        if (categories && !categories.has(streamCategory(row.name))) continue;
        out.push(toRecorded(row, row.name));
      }
      return { events: out, scannedTo: to };
    }
    const rows = this.run(() => this.stmt.allRange.all(after, head, limit)) as NamedEventRow[];
    const out: RecordedEvent[] = [];
    for (const row of rows) {
      // The category is filtered here rather than in SQL: the caller still learns how far the scan
      // went from the last row's position.
      if (categories && !categories.has(streamCategory(row.name))) continue;
      out.push(toRecorded(row, row.name));
    }
    // A short page means everything up to `head` was scanned.
    const last = rows[rows.length - 1];
    return { events: out, scannedTo: rows.length < limit || !last ? head : last.position };
  }

  getStreamMetadata(streamName: string): Promise<StreamMetadataResult> {
    validateStreamName(streamName);
    const row = this.run(() => this.stmt.getStreamFull.get(streamName)) as
      { metadata: string | null; metadata_revision: number | null } | undefined;
    return Promise.resolve({
      streamName,
      metadata: parseMetadata(row?.metadata ?? null),
      metadataRevision: row?.metadata_revision == null ? null : BigInt(row.metadata_revision),
    });
  }

  setStreamMetadata(
    streamName: string,
    metadata: StreamMetadata,
    options: { readonly expectedMetadataRevision?: bigint | 'no_stream' | 'any' } = {},
  ): Promise<{ readonly metadataRevision: bigint }> {
    try {
      validateStreamName(streamName);
      const json = JSON.stringify(metadata, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
      const revision = this.db
        .transaction(() => {
          const row = this.stmt.getStreamFull.get(streamName) as
            { stream_id: number; metadata_revision: number | null } | undefined;
          const current = row?.metadata_revision ?? null;
          const expected = options.expectedMetadataRevision ?? 'any';
          const ok =
            expected === 'any' ||
            (expected === 'no_stream' ? current === null : current !== null && BigInt(current) === expected);
          if (!ok) {
            throw new ExpectedVersionConflictError(
              `$$${streamName}`,
              expected,
              current === null ? null : BigInt(current),
            );
          }
          const next = current === null ? 0 : current + 1;
          if (row) this.stmt.setMetadata.run(json, next, row.stream_id);
          else this.stmt.insertStreamWithMetadata.run(streamName, json, next);
          return next;
        })
        .immediate();
      return Promise.resolve({ metadataRevision: BigInt(revision) });
    } catch (error) {
      return Promise.reject(translateSqliteError(error, `set metadata of ${streamName}`));
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    this.closed = true;
    this.db.close();
  }

  private run<T>(fn: () => T): T {
    this.assertOpen();
    try {
      return fn();
    } catch (error) {
      throw translateSqliteError(error, 'read');
    }
  }

  private assertOpen(): void {
    if (this.closed) throw translateSqliteError(new Error('event store is closed'), 'use');
  }
}

interface AppendOutcome {
  appended: boolean;
  result: AppendResult;
}

function prepare(db: Db) {
  const eventCols = 'e.position, s.name, e.revision, e.type, e.payload, e.created_at';
  // Stream reads know the name already: no join with streams.
  const streamEventCols = 'e.position, e.revision, e.type, e.payload, e.created_at';
  const s = (sql: string): Statement => db.prepare(sql);
  return {
    getStream: s('SELECT stream_id, revision FROM streams WHERE name = ?'),
    getStreamFull: s('SELECT stream_id, revision, metadata, metadata_revision FROM streams WHERE name = ?'),
    insertStream: s('INSERT INTO streams (name, revision) VALUES (?, -1) RETURNING stream_id'),
    insertStreamWithMetadata: s(
      'INSERT INTO streams (name, revision, metadata, metadata_revision) VALUES (?, -1, ?, ?)',
    ),
    setMetadata: s('UPDATE streams SET metadata = ?, metadata_revision = ? WHERE stream_id = ?'),
    setRevision: s('UPDATE streams SET revision = ? WHERE stream_id = ?'),
    insertEvent: s(
      'INSERT INTO events (stream_id, revision, event_id, type, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    byId: s('SELECT revision FROM events WHERE stream_id = ? AND event_id = ?'),
    idsFrom: s(
      'SELECT revision, event_id, position FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?',
    ),
    streamForwards: s(
      `SELECT ${streamEventCols} FROM events e
       WHERE e.stream_id = ? AND e.revision >= ? AND e.revision >= ? AND e.created_at >= ?
       ORDER BY e.revision LIMIT ?`,
    ),
    streamBackwards: s(
      `SELECT ${streamEventCols} FROM events e
       WHERE e.stream_id = ? AND e.revision <= ? AND e.revision >= ? AND e.created_at >= ?
       ORDER BY e.revision DESC LIMIT ?`,
    ),
    allForwards: s(
      `SELECT ${eventCols} FROM events e JOIN streams s ON s.stream_id = e.stream_id
       WHERE e.position > ? ORDER BY e.position LIMIT ?`,
    ),
    allBackwards: s(
      `SELECT ${eventCols} FROM events e JOIN streams s ON s.stream_id = e.stream_id
       WHERE e.position < ? ORDER BY e.position DESC LIMIT ?`,
    ),
    allRange: s(
      `SELECT ${eventCols} FROM events e JOIN streams s ON s.stream_id = e.stream_id
       WHERE e.position > ? AND e.position <= ? ORDER BY e.position LIMIT ?`,
    ),
    // Event types as a JSON array: one statement for any filter.
    typedRange: s(
      `SELECT ${eventCols} FROM events e JOIN streams s ON s.stream_id = e.stream_id
       WHERE e.position > ? AND e.position <= ? AND e.type IN (SELECT value FROM json_each(?))
       ORDER BY e.position`,
    ),
    head: s('SELECT max(position) AS head FROM events'),
  };
}

function parseMetadata(json: string | null): StreamMetadata {
  if (json === null) return {};
  const raw = JSON.parse(json) as Record<string, unknown>;
  const truncateBefore = raw['truncateBefore'];
  return {
    ...(raw as StreamMetadata),
    ...(typeof truncateBefore === 'string' ? { truncateBefore: BigInt(truncateBefore) } : {}),
  };
}

/** Retention settings hide events from stream reads (as EventStoreDB does); they stay in the global log. */
function visibleWindow(
  revision: number,
  m: StreamMetadata,
  now: Date,
): { minRevision: number; minCreatedAt: number } {
  let minRevision = 0;
  if (m.truncateBefore !== undefined) minRevision = Math.max(minRevision, Number(m.truncateBefore));
  if (m.maxCount !== undefined) minRevision = Math.max(minRevision, revision - m.maxCount + 1);
  const minCreatedAt = m.maxAge === undefined ? 0 : now.getTime() - m.maxAge * 1000;
  return { minRevision, minCreatedAt };
}

function isUniqueViolation(error: unknown): boolean {
  return sqliteCode(error) === 'SQLITE_CONSTRAINT_UNIQUE';
}
