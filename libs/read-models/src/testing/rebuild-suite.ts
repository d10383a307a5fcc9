import { dataObjectStreamName } from '@medlineage/domain';
import { OBJECT_ID, objectAccessed, objectClassified, objectIngested } from '@medlineage/domain/testing';
import { waitFor } from '@medlineage/testing';
import { PostgresAdapter, sql } from 'kysely';
import type { ReadModelDb } from '../database';
import {
  activateGeneration,
  activeGeneration,
  activeGenerations,
  createGeneration,
  dropGeneration,
  listGenerations,
  planServing,
} from '../generation-registry';
import { PROJECTION_TABLES, withGenerations, type Generations } from '../generations';
import { migrateReadModels } from '../migrations';
import { auditProjection } from '../projections/audit';
import { catalogProjection } from '../projections/catalog';
import { getCatalogObject, searchCatalog } from '../queries';
import { createProjectors, planProjectors, servingView } from '../read-models';
import { rebuildProjection, rebuildProjections, type RebuildProgress } from '../rebuild';
import { ProjectionSupervisor } from '../supervisor';
import { LEGACY_ID, SCENARIO, TestEventLog, codec, seedScenario } from './event-log';
import type { TestDatabase } from './read-model-suite';

/**
 * The state a site upgrading from the previous release is in: catalog generation 1, laid out by
 * migration 0002 (catalog schema 1, registered as such by 0006), fed by that release up to some
 * position, and active. (Migrations already ran; only what that release's projector wrote is added.)
 */
async function previousReleaseCatalog(db: ReadModelDb, fedEvents: number): Promise<void> {
  await db
    .insertInto('projection_checkpoints')
    .values({
      projection: 'catalog',
      version: 1,
      position: 'C:3/P:3',
      events_applied: String(fedEvents),
      updated_at: '2026-01-01T00:00:00.000Z',
    })
    .execute();
  await activateGeneration(db, 'catalog', 1);
  await sql`insert into catalog_v1_objects (object_id, status, deidentified, legal_holds, retention_expired,
            ingested_at, updated_at, last_position, last_commit, last_prepare)
            values (${OBJECT_ID}, 'ingested', 0, 0, 0, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z',
                    'C:1/P:1', 1, 1)`.execute(db);
}

/** Index names of a physical table, with its generation written as `vN`, sorted. */
async function indexesOf(db: ReadModelDb, table: string): Promise<string[]> {
  const { rows } =
    db.getExecutor().adapter instanceof PostgresAdapter
      ? await sql<{ name: string }>`select indexname as name from pg_indexes
              where tablename = ${table} and schemaname = current_schema()`.execute(db)
      : await sql<{ name: string }>`select name from sqlite_master
              where type = 'index' and tbl_name = ${table} and sql is not null`.execute(db);
  return rows.map((r) => r.name.replace(/_v\d+_/, '_vN_')).sort();
}

/** Blue/green rebuilds, run against SQLite and PostgreSQL alike. */
export function rebuildSuite(createDatabase: () => Promise<TestDatabase>): void {
  let log: TestEventLog;
  let database: TestDatabase;
  let db: ReadModelDb;

  beforeEach(async () => {
    log = TestEventLog.open();
    database = await createDatabase();
    db = database.primary.db;
    await migrateReadModels(db);
  });

  afterEach(async () => {
    await log.close();
    await database.dispose();
  });

  it('upgrades a schema-1 catalog: old generation readable, rebuild interrupted and resumed, upcasting on the way, atomic switch', async () => {
    await seedScenario(log);
    await previousReleaseCatalog(db, 3);

    // This build writes a later catalog schema: generation 1 stays readable but is not fed.
    const { plans, projectors } = await planProjectors({ store: log.store, codec, db });
    expect(plans.find((p) => p.projection === 'catalog')).toEqual({
      projection: 'catalog',
      generation: 1,
      state: 'stale',
      builtWithSchema: 1,
    });
    expect(projectors.map((p) => p.projection.name)).not.toContain('catalog');
    await expect(createProjectors({ store: log.store, codec, db })).rejects.toThrow(/rebuild: catalog/);
    const before = await getCatalogObject(await servingView(db), OBJECT_ID);
    expect(before).toMatchObject({ status: 'ingested', residency: null, eligibleUses: [] });

    // Interrupted after the first committed batch: the live generation is untouched.
    const interrupt = new AbortController();
    const progress: RebuildProgress[] = [];
    const first = await rebuildProjection({
      store: log.store,
      codec,
      db,
      projection: catalogProjection,
      batchSize: 3,
      signal: interrupt.signal,
      onProgress: (p) => {
        progress.push(p);
        if (p.eventsApplied >= 3) interrupt.abort();
      },
    });
    expect(first).toMatchObject({ outcome: 'interrupted', generation: 2, eventsApplied: 3, resumed: false });
    expect(progress.at(-1)).toMatchObject({ projection: 'catalog', generation: 2, eventsApplied: 3 });
    expect(await activeGeneration(db, 'catalog')).toBe(1);
    expect(await getCatalogObject(await servingView(db), OBJECT_ID)).toEqual(before);
    expect(await listGenerations(db, 'catalog')).toEqual([
      expect.objectContaining({ generation: 1, schemaVersion: 1, active: true, eventsApplied: 3 }),
      expect.objectContaining({
        generation: 2,
        schemaVersion: catalogProjection.schemaVersion,
        active: false,
        eventsApplied: 3,
      }),
    ]);

    // Rerun: resumes generation 2 where it stopped, catches up, switches.
    const second = await rebuildProjection({ store: log.store, codec, db, projection: catalogProjection });
    expect(second).toEqual({
      outcome: 'switched',
      projection: 'catalog',
      generation: 2,
      previous: 1,
      eventsApplied: SCENARIO.catalog,
      resumed: true,
      dropped: [],
    });
    const view = await servingView(db);
    // ObjectClassified v1 had free-text residency ('eu-west-2', London); the upcaster mapped it to UK.
    const legacy = await getCatalogObject(view, LEGACY_ID);
    expect(legacy?.residency).toBe('UK');
    expect(legacy?.taxonomy).toMatch(/^[a-z-]+@\d+$/);
    const object = await getCatalogObject(view, OBJECT_ID);
    expect(object).toMatchObject({ status: 'classified', consentStatus: 'restricted' });
    // Classified for care, research and training; consent permitted research and training, then
    // the restriction removed training.
    expect(object?.eligibleUses).toEqual(['RESEARCH']);
    expect(
      (await searchCatalog(view, { filter: { eligibleFor: 'RESEARCH' } })).items.map((i) => i.objectId),
    ).toEqual([OBJECT_ID]);
    expect((await searchCatalog(view, { filter: { eligibleFor: 'MODEL_TRAINING' } })).items).toEqual([]);

    // Same rows as a projector building a fresh generation in one go.
    expect((await planServing(db, [catalogProjection]))[0]).toMatchObject({
      state: 'current',
      generation: 2,
    });
    const next = await rebuildProjection({ store: log.store, codec, db, projection: catalogProjection });
    expect(next).toMatchObject({
      outcome: 'switched',
      generation: 3,
      previous: 2,
      resumed: false,
      dropped: [1],
    });
    const rows = async (generation: number) =>
      (await withGenerations(db, { catalog: generation }).selectFrom('catalog_objects').selectAll().execute())
        .map((r) => JSON.stringify(r))
        .sort();
    expect(await rows(3)).toEqual(await rows(2));
    // Loaded without its query indexes, the rebuilt generation got them all before it switched: the
    // same set as a generation laid out in one go.
    const laidOut = await createGeneration(db, catalogProjection);
    const rebuiltIndexes = await indexesOf(db, 'catalog_v3_objects');
    expect(rebuiltIndexes.length).toBeGreaterThanOrEqual(7);
    expect(rebuiltIndexes).toEqual(await indexesOf(db, `catalog_v${laidOut}_objects`));
    await dropGeneration(db, 'catalog', laidOut);
    expect((await listGenerations(db, 'catalog')).map((g) => g.generation)).toEqual([2, 3]);
    await expect(dropGeneration(db, 'catalog', 3)).rejects.toThrow(/active/);
  });

  it('rebuilds several read models from one reading of the log, resuming each from its own checkpoint', async () => {
    await seedScenario(log);
    // What the live projectors built (one generation each): the rows a rebuild must reproduce.
    for (const projector of await createProjectors({ store: log.store, codec, db }))
      await projector.catchUp();
    const live = await activeGenerations(db);
    const { catalog = 0, audit = 0 } = live;
    const rowsOf = async (generations: Generations) => {
      const view = withGenerations(db, generations);
      const out: Record<string, string[]> = {};
      for (const table of Object.values(PROJECTION_TABLES).flat()) {
        const rows = await view.selectFrom(table).selectAll().execute();
        out[table] = rows.map((r) => JSON.stringify(r)).sort();
      }
      return out;
    };
    const expected = await rowsOf(live);

    // The catalog's rebuild is interrupted first, so the two generations start from different places.
    const interrupt = new AbortController();
    const partial = await rebuildProjection({
      store: log.store,
      codec,
      db,
      projection: catalogProjection,
      batchSize: 3,
      signal: interrupt.signal,
      onProgress: (p) => {
        if (p.eventsApplied >= 3) interrupt.abort();
      },
    });
    expect(partial).toMatchObject({ outcome: 'interrupted', eventsApplied: 3 });

    const progress: RebuildProgress[] = [];
    const outcomes = await rebuildProjections({
      store: log.store,
      codec,
      db,
      projections: [catalogProjection, auditProjection],
      batchSize: 4,
      onProgress: (p) => progress.push(p),
    });
    expect(outcomes).toEqual([
      expect.objectContaining({
        outcome: 'switched',
        projection: 'catalog',
        generation: catalog + 1,
        eventsApplied: SCENARIO.catalog,
        resumed: true,
      }),
      expect.objectContaining({
        outcome: 'switched',
        projection: 'audit',
        generation: audit + 1,
        eventsApplied: SCENARIO.audit,
        resumed: false,
      }),
    ]);
    // Both were loaded batch by batch, then indexed, then switched.
    for (const name of ['catalog', 'audit']) {
      const phases = progress.filter((p) => p.projection === name).map((p) => p.phase);
      expect(phases.at(-1)).toBe('indexing');
      expect(phases.filter((phase) => phase === 'loading').length).toBeGreaterThan(2);
    }
    const rebuilt = await activeGenerations(db);
    expect(rebuilt).toEqual({ ...live, catalog: catalog + 1, audit: audit + 1 });
    expect(await rowsOf(rebuilt)).toEqual(expected);
  });

  it('a live supervisor follows the switch and feeds the new generation from its checkpoint', async () => {
    await seedScenario(log);
    const supervisor = new ProjectionSupervisor({ store: log.store, codec, db, pollMs: 25 });
    await supervisor.catchUp();
    supervisor.start();
    try {
      const fedGeneration = async () =>
        (await supervisor.status()).fed.find((s) => s.projection === 'catalog')?.version;
      const waitUntil = (description: string, check: () => Promise<boolean>) =>
        waitFor(check, { description, timeoutMs: 15_000, intervalMs: 20 });
      await waitUntil('catalog fed', async () => (await fedGeneration()) === 2);
      const rebuilt = await rebuildProjection({ store: log.store, codec, db, projection: catalogProjection });
      expect(rebuilt).toMatchObject({ outcome: 'switched', generation: 3, previous: 2 });
      await waitUntil('supervisor on generation 3', async () => (await fedGeneration()) === 3);

      // Appended after the switch: reaches generation 3 (now read by queries) exactly once.
      await log.append(dataObjectStreamName(OBJECT_ID), [
        objectIngested(),
        objectClassified(),
        objectAccessed(),
      ]);
      await waitUntil('live event in the new generation', async () => {
        const status = (await supervisor.status()).fed.find((s) => s.projection === 'catalog');
        return status?.caughtUp === true && status.eventsApplied === SCENARIO.catalog + 2;
      });
      expect(await activeGeneration(db, 'catalog')).toBe(3);
    } finally {
      await supervisor.stop();
    }
  });
}
