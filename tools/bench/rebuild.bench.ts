import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Kysely, SqliteDialect } from 'kysely';
import { productCodec } from '@medlineage/event-sourcing';
import { EmbeddedEventStore } from '@medlineage/event-store-embedded';
import {
  PROJECTIONS,
  PROJECTION_TABLES,
  REBUILD_BATCH_SIZE,
  ReadModelDatabase,
  SQLITE_PRAGMAS,
  activeGenerations,
  migrateReadModels,
  physicalTable,
  rebuildProjections,
  type Generations,
} from '@medlineage/read-models';
import { numberArg, result, round, type Bench } from './bench-result';
import { buildRebuildWorkload } from './rebuild-workload';

const RATIO_TARGET = 0.5;
const RATE_TARGET = 50_000;
/** Rows read back per chunk for the raw baseline (untimed), inserted in transactions of `--batch`. */
const READ_CHUNK = 50_000;

/**
 * `projections rebuild all` on the embedded store and a SQLite read-model file: every projection in
 * PROJECTIONS rebuilt from position 0 through `rebuildProjections` (one reading of the log feeding
 * every new generation; the projector's batches, checkpoints, query index builds and generation
 * switches included). Baseline in the same run: the
 * rows that rebuild produced, inserted by plain better-sqlite3 prepared statements into the same
 * tables (each projection's own DDL, the same pragmas) on a fresh file, one transaction per
 * `--batch` rows as the rebuild commits one per `--batch` events, and the same query indexes built
 * after the load as the rebuild builds them. Both rates are the log's event count over wall time:
 * the whole rebuild, and the raw inserts plus index builds (reading the rows back is not timed).
 * Options: `--events N` (1,000,000), `--batch N` (REBUILD_BATCH_SIZE, the CLI's).
 */
export const rebuildBench: Bench = {
  name: 'rebuild',
  description: 'rebuild all read models from the embedded store vs raw batched inserts of the same rows',
  async run(args, log) {
    const target = numberArg(args, 'events', 1_000_000);
    // Events per rebuild transaction (the CLI's default unless given) and rows per raw transaction.
    const batch = numberArg(args, 'batch', REBUILD_BATCH_SIZE);
    const dir = mkdtempSync(join(tmpdir(), 'medlineage-bench-rebuild-'));
    try {
      const codec = productCodec();
      const eventsPath = join(dir, 'events.db');
      let t = performance.now();
      const writer = new EmbeddedEventStore({ path: eventsPath, synchronous: 'normal' });
      const workload = await buildRebuildWorkload(writer, codec, target, log);
      await writer.close();
      const total = workload.events;
      log(
        `workload: ${total} events in ${workload.appends} appends (${round(workload.bytes / total)} B/event data+envelope), ` +
          `${workload.objects} objects + ${workload.derived} derivatives + ${workload.rejected} rejected, ` +
          `${workload.subjects} subjects, ${workload.datasets} datasets, ${workload.models} models; ` +
          `event store ${mib(statSync(eventsPath).size)} MiB, built in ${seconds(t)} s`,
      );
      log(
        `  by type: ${Object.entries(workload.byType)
          .sort(([, a], [, b]) => b - a)
          .map(([type, n]) => `${type} ${n}`)
          .join(', ')}`,
      );

      log(
        `read-model connections (ours and raw): ${SQLITE_PRAGMAS.join(', ')}; ${batch} events (raw: rows) per transaction`,
      );

      // Ours: what `projections rebuild all` does.
      const store = new EmbeddedEventStore({ path: eventsPath });
      const readModelsPath = join(dir, 'read-models.db');
      const readModels = ReadModelDatabase.open({ url: `sqlite:${readModelsPath}` });
      let generations: Generations;
      let oursSeconds: number;
      try {
        await migrateReadModels(readModels.db);
        t = performance.now();
        let loaded: number | null = null;
        const outcomes = await rebuildProjections({
          store,
          codec,
          db: readModels.db,
          projections: PROJECTIONS,
          batchSize: batch,
          onProgress: (p) => {
            if (p.phase === 'indexing') loaded ??= performance.now();
          },
        });
        for (const [i, outcome] of outcomes.entries()) {
          const projection = PROJECTIONS[i];
          if (projection === undefined || outcome.outcome !== 'switched') {
            throw new Error(`${outcome.projection} rebuild was interrupted`);
          }
          const expected = projection.eventTypes.reduce((n, type) => n + (workload.byType[type] ?? 0), 0);
          if (outcome.eventsApplied !== expected) {
            throw new Error(
              `${projection.name} applied ${outcome.eventsApplied} events, expected ${expected}`,
            );
          }
          log(
            `ours: ${projection.name.padEnd(8)} v${outcome.generation}: ${outcome.eventsApplied} events applied`,
          );
        }
        const end = performance.now();
        log(
          `ours: one reading of the log loaded all generations in ${round(((loaded ?? end) - t) / 1000, 2)} s; ` +
            `query indexes and switches ${round((end - (loaded ?? end)) / 1000, 2)} s`,
        );
        oursSeconds = (performance.now() - t) / 1000;
        generations = await activeGenerations(readModels.db);
      } finally {
        await readModels.close();
        await store.close();
      }
      const ours = total / oursSeconds;
      log(
        `ours: all read models in ${round(oursSeconds, 2)} s → ${round(ours, 0)} events/s; ` +
          `read-model file ${mib(statSync(readModelsPath).size)} MiB`,
      );

      // Baseline: the same rows, inserted raw.
      const rawPath = join(dir, 'raw.db');
      const { seconds: rawSeconds, rows } = await rawInsert(readModelsPath, rawPath, generations, batch, log);
      const raw = total / rawSeconds;
      log(
        `raw: ${rows} rows in ${round(rawSeconds, 2)} s (batches of ${batch}) → ${round(raw, 0)} events/s ` +
          `(${round(rows / rawSeconds, 0)} rows/s); raw file ${mib(statSync(rawPath).size)} MiB`,
      );

      const ratio = ours / raw;
      log(
        `targets: ratio ${round(ratio, 3)} ${ratio >= RATIO_TARGET ? '≥' : '<'} ${RATIO_TARGET} ` +
          `(${ratio >= RATIO_TARGET ? 'met' : 'NOT met'}); ${round(ours, 0)} events/s ` +
          `${ours >= RATE_TARGET ? '≥' : '<'} ${RATE_TARGET} (${ours >= RATE_TARGET ? 'met' : 'NOT met'})`,
      );
      return result({
        bench: 'rebuild',
        metric: 'rebuild_all_events_per_s',
        value: round(ours, 0),
        baseline: round(raw, 0),
        unit: 'events/s',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

/**
 * Lays out the same generations on a fresh file with each projection's own `createTables`, then
 * inserts every row of the rebuilt tables, in their insertion (rowid) order, with one prepared
 * statement per table and one transaction per `batch` rows, then builds the query indexes: the way
 * a rebuild loads a generation, without any of the projection's work. Reading the rows back is not
 * timed.
 */
async function rawInsert(
  sourcePath: string,
  targetPath: string,
  generations: Generations,
  batch: number,
  log: (line: string) => void,
): Promise<{ seconds: number; rows: number }> {
  const target = new Database(targetPath);
  for (const pragma of SQLITE_PRAGMAS) target.pragma(pragma);
  const schema = new Kysely<unknown>({ dialect: new SqliteDialect({ database: target }) });
  const source = new Database(sourcePath, { readonly: true });
  let timed = 0;
  let rows = 0;
  try {
    for (const projection of PROJECTIONS) {
      const generation = generations[projection.name];
      if (generation === undefined) throw new Error(`${projection.name} has no active generation`);
      await projection.createTables(schema, generation);
      for (const logical of PROJECTION_TABLES[projection.name]) {
        const table = physicalTable(logical, generation);
        const columns = (source.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name);
        const insert = target.prepare(
          `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
        );
        const insertBatch = target.transaction((chunk: readonly unknown[][], from: number, to: number) => {
          for (let i = from; i < to; i++) insert.run(chunk[i]);
        });
        const read = source
          .prepare(`SELECT rowid, ${columns.join(', ')} FROM ${table} WHERE rowid > ? ORDER BY rowid LIMIT ?`)
          .raw(true);
        let after = 0;
        let count = 0;
        let tableSeconds = 0;
        for (;;) {
          const chunk = read.all(after, READ_CHUNK) as unknown[][];
          const last = chunk.at(-1);
          if (last === undefined) break;
          after = Number(last[0]);
          const values = chunk.map((row) => row.slice(1));
          const t = performance.now();
          for (let i = 0; i < values.length; i += batch) {
            insertBatch(values, i, Math.min(values.length, i + batch));
          }
          tableSeconds += (performance.now() - t) / 1000;
          count += values.length;
        }
        timed += tableSeconds;
        rows += count;
        log(`raw: ${table.padEnd(28)} ${String(count).padStart(8)} rows in ${round(tableSeconds, 2)} s`);
      }
      const t = performance.now();
      await projection.createQueryIndexes(schema, generation);
      const indexSeconds = (performance.now() - t) / 1000;
      timed += indexSeconds;
      log(`raw: ${`${projection.name} query indexes`.padEnd(28)} built in ${round(indexSeconds, 2)} s`);
    }
  } finally {
    source.close();
    await schema.destroy(); // closes `target`
  }
  return { seconds: timed, rows };
}

function seconds(since: number): number {
  return round((performance.now() - since) / 1000, 1);
}

function mib(bytes: number): number {
  return round(bytes / 2 ** 20);
}
