import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { AGGREGATE_OF_EVENT, CURRENT_SCHEMA_VERSION } from '@medlineage/domain';
import { sampleEvents } from '@medlineage/domain/testing';
import { productCodec } from '@medlineage/event-sourcing';
import { EmbeddedEventStore } from '@medlineage/event-store-embedded';
import { deterministicId, type EventMetadata } from '@medlineage/kernel';
import { numberArg, result, round, type Bench } from './bench-result';
import { median } from './bench-support';

interface Append {
  readonly stream: string;
  readonly expected: 'no_stream' | bigint;
  readonly events: readonly { id: string; type: string; data: unknown; metadata: EventMetadata }[];
}

/**
 * Embedded store append throughput (codec encode + append with expected-revision checks, unique
 * event ids, per-stream revisions) against a raw better-sqlite3 insert loop of the SAME encoded
 * bytes with the same transaction boundaries and pragmas, in one run; then the global-log read rate.
 */
export const eventStoreBench: Bench = {
  name: 'event-store',
  description: 'embedded store appends (with the Avro codec) vs raw better-sqlite3 inserts; $all read rate',
  async run(args, log) {
    const total = numberArg(args, 'events', 200_000);
    const batch = numberArg(args, 'batch', 50);
    const rounds = numberArg(args, 'rounds', 3);
    const codec = productCodec();
    const appends = workload(total, batch);
    // The raw loop inserts exactly the bytes our path produces.
    const encoded = appends.map((a) =>
      a.events.map((e) => ({
        ...e,
        dataBytes: codec.encode(e.type, e.data),
        metaBytes: codec.encode('EventMetadata', e.metadata),
      })),
    );
    const bytes = encoded.flat().reduce((n, e) => n + e.dataBytes.length + e.metaBytes.length, 0);
    log(
      `workload: ${total} events in ${appends.length} appends of ${batch}, ${round(bytes / total)} B/event avg (data+metadata), synchronous=FULL, WAL`,
    );

    const ours: number[] = [];
    const raw: number[] = [];
    const reads: number[] = [];
    const decodes: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const dir = mkdtempSync(join(tmpdir(), 'medlineage-bench-'));
      try {
        raw.push(rawInsert(join(dir, 'raw.db'), encoded));
        const path = join(dir, 'store.db');
        const store = new EmbeddedEventStore({ path });
        let t = performance.now();
        for (const a of appends) {
          await store.appendToStream(
            a.stream,
            a.events.map((e) => ({
              id: e.id,
              type: e.type,
              data: codec.encode(e.type, e.data),
              metadata: codec.encode('EventMetadata', e.metadata),
            })),
            { expectedRevision: a.expected },
          );
        }
        ours.push(total / ((performance.now() - t) / 1000));

        t = performance.now();
        let n = 0;
        for await (const _ of store.readAll()) n += 1;
        reads.push(n / ((performance.now() - t) / 1000));
        if (n !== total) throw new Error(`read ${n} events, expected ${total}`);

        t = performance.now();
        for await (const e of store.readAll()) {
          codec.decode(e.data);
          codec.decode(e.metadata);
        }
        decodes.push(total / ((performance.now() - t) / 1000));
        await store.close();
        log(
          `round ${r + 1}: raw ${round(raw[r] ?? 0, 0)} ev/s, store ${round(ours[r] ?? 0, 0)} ev/s, ` +
            `read ${round(reads[r] ?? 0, 0)} ev/s, read+decode ${round(decodes[r] ?? 0, 0)} ev/s, file ${round(statSync(path).size / 2 ** 20)} MiB`,
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    const readRate = median(reads);
    log(
      JSON.stringify({
        bench: 'event-store',
        metric: 'read_all_events_per_s',
        value: round(readRate, 0),
        target: 200_000,
        unit: 'events/s',
      }),
    );
    log(
      JSON.stringify({
        bench: 'event-store',
        metric: 'read_all_decode_events_per_s',
        value: round(median(decodes), 0),
        unit: 'events/s',
      }),
    );
    return result({
      bench: 'event-store',
      metric: 'append_events_per_s',
      value: round(median(ours), 0),
      baseline: round(median(raw), 0),
      unit: 'events/s',
    });
  },
};

function workload(total: number, batch: number): Append[] {
  // The events an object stream really holds: ingest, classification, tiering, access, holds…
  // Samples are structuredClone'd, which turns Buffers into plain Uint8Arrays; production values
  // carry Buffers (node:crypto output), so give the bench the same.
  const samples = sampleEvents()
    .filter((s) => AGGREGATE_OF_EVENT[s.type] === 'data-object')
    .map((s) => ({ ...s, data: asBuffers(s.data) }));
  const appends: Append[] = [];
  const at = new Date('2026-11-23T10:00:00Z');
  let produced = 0;
  for (let s = 0; produced < total; s++) {
    const stream = `object-${deterministicId('bench', s)}`;
    // Two appends per stream: a new stream, then one at an exact revision.
    for (let k = 0; k < 2 && produced < total; k++) {
      const size = Math.min(batch, total - produced);
      appends.push({
        stream,
        expected: k === 0 ? 'no_stream' : BigInt(batch - 1),
        events: Array.from({ length: size }, (_, i) => {
          const sample = samples[(produced + i) % samples.length];
          if (!sample) throw new Error('no samples');
          return {
            id: deterministicId('bench', stream, k, i),
            type: sample.type,
            data: sample.data,
            metadata: {
              eventType: sample.type,
              schemaVersion: CURRENT_SCHEMA_VERSION[sample.type],
              occurredAt: at,
              recordedAt: at,
              actor: { kind: 'service', id: 'svc:ingest' },
              purposeOfUse: null,
              correlationId: deterministicId('corr', s),
              causationId: null,
              producer: { name: '@medlineage/ingest', version: '0.1.0' },
              source: {
                topic: 'medlineage.ingest.requests.v1',
                partition: s % 3,
                offset: String(produced + i),
              },
            },
          };
        }),
      });
      produced += size;
    }
  }
  return appends;
}

function rawInsert(
  path: string,
  batches: readonly (readonly { id: string; type: string; dataBytes: Buffer; metaBytes: Buffer }[])[],
): number {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`CREATE TABLE events (position INTEGER PRIMARY KEY, stream TEXT NOT NULL, revision INTEGER NOT NULL,
    event_id BLOB NOT NULL, type TEXT NOT NULL, data BLOB NOT NULL, metadata BLOB NOT NULL, created_at INTEGER NOT NULL) STRICT`);
  const insert = db.prepare(
    'INSERT INTO events (stream, revision, event_id, type, data, metadata, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const tx = db.transaction(
    (rows: readonly { id: string; type: string; dataBytes: Buffer; metaBytes: Buffer }[], b: number) => {
      rows.forEach((e, i) =>
        insert.run(
          `object-${b >> 1}`,
          i,
          Buffer.from(e.id.replaceAll('-', ''), 'hex'),
          e.type,
          e.dataBytes,
          e.metaBytes,
          Date.now(),
        ),
      );
    },
  );
  let n = 0;
  const t = performance.now();
  batches.forEach((rows, b) => {
    tx(rows, b);
    n += rows.length;
  });
  const rate = n / ((performance.now() - t) / 1000);
  db.close();
  return rate;
}

function asBuffers(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value);
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  if (Array.isArray(value)) return value.map(asBuffers);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asBuffers(v)]));
}
