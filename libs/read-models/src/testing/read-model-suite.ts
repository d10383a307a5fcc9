import { dataObjectStreamName, subjectConsentStreamName } from '@medlineage/domain';
import {
  AT,
  DERIVED_ID,
  OBJECT_ID,
  SUBJECT_ID,
  consentRevoked,
  curator,
  derivedObjectCreated,
  holdPlaced,
  objectIngested,
} from '@medlineage/domain/testing';
import type { EventStore, ReadAllOptions, RecordedEvent } from '@medlineage/event-store';
import { ScanLinkIndex, type HistoryLinkIndex } from '@medlineage/history';
import { waitFor } from '@medlineage/testing';
import { CatalogLinkIndex } from '../catalog-link-index';
import type { ReadModelDatabase, ReadModelDb } from '../database';
import { activeGenerations, listGenerations, planServing, type ServingPlan } from '../generation-registry';
import { PROJECTION_NAMES, PROJECTION_TABLES, physicalTable, type LogicalTable } from '../generations';
import { migrateReadModels } from '../migrations';
import type { Projection } from '../projection';
import { auditProjection } from '../projections/audit';
import { catalogProjection } from '../projections/catalog';
import { consentProjection } from '../projections/consent';
import { lineageNodeId, lineageProjection } from '../projections/lineage';
import { CheckpointConflictError, Projector } from '../projector';
import { getCatalogObject, getSubjectConsent, searchAudit, searchCatalog, traceLineage } from '../queries';
import { createProjectors, servingView } from '../read-models';
import { rebuildProjection } from '../rebuild';
import {
  DATASET_ID,
  EXPORT_ID,
  LEGACY_ID,
  LEGACY_SUBJECT_ID,
  MODEL_ID,
  OTHER_MANIFEST_OBJECT,
  REJECTED_ID,
  SCENARIO,
  TestEventLog,
  codec,
  seedScenario,
} from './event-log';

/** A fresh, empty read-model database for one test, and a second connection to the same one. */
export interface TestDatabase {
  readonly primary: ReadModelDatabase;
  connectAgain(): ReadModelDatabase;
  dispose(): Promise<void>;
}

async function countRows(view: ReadModelDb, table: LogicalTable): Promise<number> {
  const row = await view
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function snapshot(view: ReadModelDb): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of ALL_TABLES) {
    const rows = await view.selectFrom(table).selectAll().execute();
    out[table] = rows.map((r) => JSON.stringify(r)).sort();
  }
  return out;
}

class InjectedCrash extends Error {}

/** Delegates to `inner`, but throws on the `failAt`-th event (1-based), as a crash inside `apply` would. */
function crashingAt(inner: Projection, failAt: number): Projection {
  let calls = 0;
  return {
    ...inner,
    begin(trx) {
      const batch = inner.begin(trx);
      return {
        async apply(event) {
          calls += 1;
          if (calls === failAt) throw new InjectedCrash(`crash at apply #${failAt}`);
          await batch.apply(event);
        },
        end: () => batch.end(),
      };
    },
  };
}

const ALL = [catalogProjection, consentProjection, auditProjection, lineageProjection];
const ALL_TABLES: readonly LogicalTable[] = PROJECTION_NAMES.flatMap((p) => PROJECTION_TABLES[p]);

/** `store` with every event its `readAll` yields counted. */
function countingReadAll(store: EventStore): { store: EventStore; events: () => number } {
  let events = 0;
  const counted = new Proxy(store, {
    get(target, property, receiver) {
      if (property !== 'readAll') return Reflect.get(target, property, receiver) as unknown;
      return async function* (options?: ReadAllOptions): AsyncIterable<RecordedEvent> {
        for await (const event of target.readAll(options)) {
          events += 1;
          yield event;
        }
      };
    },
  });
  return { store: counted, events: () => events };
}

/** The read-model suite, run against SQLite and PostgreSQL alike. */
export function readModelSuite(createDatabase: () => Promise<TestDatabase>): void {
  let log: TestEventLog;
  let database: TestDatabase;
  let db: ReadModelDb;
  /** `db` bound to the active generations: what queries read. */
  let view: ReadModelDb;
  let plans: ServingPlan[];
  const gen = (projection: Projection): number => {
    const plan = plans.find((p) => p.projection === projection.name);
    if (plan === undefined) throw new Error(`no plan for ${projection.name}`);
    return plan.generation;
  };

  beforeEach(async () => {
    log = TestEventLog.open();
    database = await createDatabase();
    db = database.primary.db;
    await migrateReadModels(db);
    plans = await planServing(db, ALL);
    view = await servingView(db);
  });

  afterEach(async () => {
    await log.close();
    await database.dispose();
  });

  async function project(projections: readonly Projection[] = ALL, batchSize = 100): Promise<void> {
    for (const p of await createProjectors({ store: log.store, codec, db, projections, batchSize }))
      await p.catchUp();
  }

  it('migrates idempotently; a fresh install lays out each read model with this code, one generation each', async () => {
    const again = await migrateReadModels(db);
    expect(again.results).toEqual([]);
    for (const table of ALL_TABLES) expect(await countRows(view, table)).toBe(0);
    // Migrations 0002 and 0004 laid catalog and audit generation 1 out at schema 1; empty, they are
    // replaced by this code's.
    for (const projection of [catalogProjection, auditProjection]) {
      expect(await listGenerations(db, projection.name)).toEqual([
        expect.objectContaining({
          generation: 2,
          schemaVersion: projection.schemaVersion,
          active: true,
          position: 'start',
        }),
      ]);
    }
    for (const name of ['consent', 'lineage'] as const) {
      expect(await listGenerations(db, name)).toEqual([
        expect.objectContaining({ generation: 1, schemaVersion: 1, active: true, position: 'start' }),
      ]);
    }
    expect(await activeGenerations(db)).toEqual({ catalog: 2, consent: 1, audit: 2, lineage: 1 });
    // Planning again (another process starting) changes nothing.
    expect(await planServing(db, ALL)).toEqual(plans);
  });

  it('projects the catalog: one row per object, current location, holds, derivation, legacy upcast', async () => {
    await seedScenario(log);
    await project([catalogProjection]);

    expect(await countRows(view, 'catalog_objects')).toBe(4);
    const original = await getCatalogObject(view, OBJECT_ID);
    expect(original).toMatchObject({
      objectId: OBJECT_ID,
      subjectId: SUBJECT_ID,
      studyKey: 'stk6m2zq4wa7yr3pd5hx',
      seriesKey: '2.25.171340911845104213786307352011478934203',
      site: 'site-uk-rgh',
      status: 'classified',
      dataClass: 'IMAGING',
      format: 'DICOM',
      phiBearing: true,
      tier: 'WARM',
      zone: 'WARM',
      bucket: 'ml-warm-eu',
      deidentified: false,
      deidentifiedCopyId: DERIVED_ID,
      activeLegalHolds: 0,
      retentionExpired: false,
      sizeBytes: 527_104,
      ingestedAt: TestEventLog.occurredAt(0).toISOString(),
      updatedAt: TestEventLog.occurredAt(SCENARIO.total - 1).toISOString(),
    });
    expect(original?.retentionClass).toEqual(expect.any(String));
    expect(await getCatalogObject(view, DERIVED_ID)).toMatchObject({
      status: 'derived',
      subjectId: SUBJECT_ID,
      deidentified: true,
      derivedFrom: [OBJECT_ID],
      zone: 'DEIDENTIFIED',
    });
    expect(await getCatalogObject(view, REJECTED_ID)).toMatchObject({
      status: 'rejected',
      zone: 'QUARANTINE',
    });
    // Written as ObjectIngested v1 and ObjectClassified v1, read through resolution and the upcaster.
    expect(await getCatalogObject(view, LEGACY_ID)).toMatchObject({
      status: 'classified',
      subjectId: LEGACY_SUBJECT_ID,
      dataClass: 'IMAGING',
    });
    expect(await getCatalogObject(view, 'no-such-object')).toBeNull();
    expect(await countRows(view, 'catalog_legal_holds')).toBe(0);
  });

  it('counts active legal holds', async () => {
    const object = dataObjectStreamName(OBJECT_ID);
    await log.append(object, [objectIngested()]);
    await log.append(object, [holdPlaced(), holdPlaced({ holdId: 'hold-2', kind: 'REGULATORY_INQUIRY' })]);
    await new Projector({
      store: log.store,
      codec,
      db,
      projection: catalogProjection,
      generation: gen(catalogProjection),
    }).catchUp();
    expect(await getCatalogObject(view, OBJECT_ID)).toMatchObject({ activeLegalHolds: 2 });
    expect((await searchCatalog(view, { filter: { underLegalHold: true } })).items).toHaveLength(1);
    expect(await countRows(view, 'catalog_legal_holds')).toBe(2);
  });

  it('searches the catalog with filters, sort and keyset cursors', async () => {
    await seedScenario(log);
    await project([catalogProjection]);

    const byClass = await searchCatalog(view, { filter: { dataClass: 'IMAGING' } });
    expect(byClass.items.map((i) => i.objectId)).toEqual([OBJECT_ID, LEGACY_ID]);
    expect(byClass.nextCursor).toBeNull();
    const phi = await searchCatalog(view, {
      filter: { phiBearing: true, status: ['classified', 'ingested'] },
    });
    expect(phi.items.map((i) => i.objectId)).toEqual([OBJECT_ID, LEGACY_ID]);
    const legacyOnly = await searchCatalog(view, {
      filter: { subjectId: LEGACY_SUBJECT_ID, status: 'classified' },
    });
    expect(legacyOnly.items.map((i) => i.objectId)).toEqual([LEGACY_ID]);
    const bySubject = await searchCatalog(view, { filter: { subjectId: SUBJECT_ID } });
    expect(bySubject.items.map((i) => i.objectId).sort()).toEqual([OBJECT_ID, DERIVED_ID].sort());
    expect(
      (await searchCatalog(view, { filter: { deidentified: true } })).items.map((i) => i.objectId),
    ).toEqual([DERIVED_ID]);
    expect((await searchCatalog(view, { filter: { status: [] } })).items).toEqual([]);

    for (const sort of ['ingestedAt', 'updatedAt', 'objectId'] as const) {
      for (const direction of ['asc', 'desc'] as const) {
        const all = await searchCatalog(view, { sort, direction, limit: 100 });
        expect(all.items).toHaveLength(4);
        const paged: string[] = [];
        let cursor: string | null = null;
        do {
          const page = await searchCatalog(view, { sort, direction, limit: 1, cursor });
          paged.push(...page.items.map((i) => i.objectId));
          cursor = page.nextCursor;
        } while (cursor !== null);
        expect(paged).toEqual(all.items.map((i) => i.objectId));
      }
    }
    const ids = (await searchCatalog(view, { sort: 'objectId' })).items.map((i) => i.objectId);
    expect(ids).toEqual([...ids].sort());
    const first = await searchCatalog(view, { sort: 'ingestedAt', limit: 2 });
    if (first.nextCursor === null) throw new Error('expected a second page');
    await expect(searchCatalog(view, { sort: 'updatedAt', cursor: first.nextCursor })).rejects.toThrow(
      /sort order/,
    );
    await expect(searchCatalog(view, { cursor: 'not-a-cursor' })).rejects.toThrow(/cursor/);
  });

  it('projects consent: current state per subject and one history row per event', async () => {
    await seedScenario(log);
    await log.append(subjectConsentStreamName(SUBJECT_ID), [consentRevoked()]);
    const projector = new Projector({
      store: log.store,
      codec,
      db,
      projection: consentProjection,
      generation: gen(consentProjection),
      batchSize: 2,
    });
    const status = await projector.catchUp();
    expect(status.eventsApplied).toBe(SCENARIO.consent + 1);

    const consent = await getSubjectConsent(view, SUBJECT_ID);
    expect(consent.current).toMatchObject({
      subjectId: SUBJECT_ID,
      status: 'revoked',
      permittedUses: [],
      revocationScope: consentRevoked().data.scope,
    });
    expect(consent.history.map((h) => h.eventType)).toEqual([
      'SubjectConsentRecorded',
      'SubjectConsentRestricted',
      'SubjectConsentRevoked',
    ]);
    expect(await getSubjectConsent(view, 'unknown-subject')).toEqual({ current: null, history: [] });
  });

  it('applies a restriction to the current consent', async () => {
    await seedScenario(log);
    await project([consentProjection]);
    const { current } = await getSubjectConsent(view, SUBJECT_ID);
    expect(current?.status).toBe('restricted');
    expect(current?.permittedUses).not.toContain('MODEL_TRAINING');
  });

  it('projects the audit trail: one row per event, searchable by actor, object, subject, dataset, time', async () => {
    await seedScenario(log);
    await project([auditProjection], 5);
    expect(await countRows(view, 'audit_events')).toBe(SCENARIO.audit);

    const all = await searchAudit(view, { limit: 500 });
    expect(all.items).toHaveLength(SCENARIO.audit);
    expect(all.items[0]).toMatchObject({
      eventType: 'ObjectIngested',
      streamName: dataObjectStreamName(OBJECT_ID),
      streamRevision: 0,
      actor: { kind: 'service', id: 'svc-ingest' },
      purposeOfUse: 'HOPERAT',
      objectId: OBJECT_ID,
      subjectId: SUBJECT_ID,
      occurredAt: AT.toISOString(),
      producer: { name: '@medlineage/read-models-test', version: '0.0.0' },
    });
    expect((await searchAudit(view, { filter: { actorId: curator.id } })).items).toHaveLength(
      SCENARIO.byCurator,
    );
    expect((await searchAudit(view, { filter: { datasetId: DATASET_ID } })).items).toHaveLength(4);
    expect((await searchAudit(view, { filter: { objectId: OBJECT_ID } })).items).toHaveLength(7);
    expect((await searchAudit(view, { filter: { subjectId: LEGACY_SUBJECT_ID } })).items).toHaveLength(1);
    const window = await searchAudit(view, {
      filter: { from: TestEventLog.occurredAt(2), to: TestEventLog.occurredAt(5) },
    });
    expect(window.items.map((i) => i.occurredAt)).toEqual(
      [2, 3, 4].map((n) => TestEventLog.occurredAt(n).toISOString()),
    );

    for (const direction of ['asc', 'desc'] as const) {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await searchAudit(view, { direction, limit: 4, cursor });
        seen.push(...page.items.map((i) => i.eventId));
        cursor = page.nextCursor;
      } while (cursor !== null);
      const expected = all.items.map((i) => i.eventId);
      expect(seen).toEqual(direction === 'asc' ? expected : [...expected].reverse());
    }
  });

  it('projects lineage and walks it upstream and downstream to a depth', async () => {
    await seedScenario(log);
    await project([lineageProjection]);

    const model = lineageNodeId.model(MODEL_ID);
    const up = await traceLineage(view, model, 'upstream', 10);
    expect(up.nodes.map((n) => [n.nodeId, n.depth])).toEqual([
      [model, 0],
      [lineageNodeId.datasetVersion(DATASET_ID, 1), 1],
      [lineageNodeId.dataset(DATASET_ID), 2],
      [lineageNodeId.object(DERIVED_ID), 2],
      [lineageNodeId.object(OTHER_MANIFEST_OBJECT), 2],
      [lineageNodeId.object(OBJECT_ID), 3],
    ]);
    expect(up.nodes[0]?.label).toBe('lung-nodule-seg 1.4.0');
    expect(up.edges.find((e) => e.kind === 'deidentified')).toMatchObject({
      from: lineageNodeId.object(OBJECT_ID),
      to: lineageNodeId.object(DERIVED_ID),
      transformation: 'DEIDENTIFICATION',
      tool: { name: 'medlineage-deid', version: '0.4.2' },
    });
    const shallow = await traceLineage(view, model, 'upstream', 1);
    expect(shallow.nodes.map((n) => n.nodeId)).toEqual([model, lineageNodeId.datasetVersion(DATASET_ID, 1)]);

    const down = await traceLineage(view, lineageNodeId.object(OBJECT_ID), 'downstream', 5);
    expect(down.nodes.map((n) => n.nodeId)).toEqual([
      lineageNodeId.object(OBJECT_ID),
      lineageNodeId.object(DERIVED_ID),
      lineageNodeId.datasetVersion(DATASET_ID, 1),
      lineageNodeId.export(EXPORT_ID),
      model,
    ]);
    expect(down.edges.map((e) => e.kind).sort()).toEqual([
      'deidentified',
      'derived',
      'exported',
      'member-of',
      'trained',
    ]);
    await expect(traceLineage(view, model, 'upstream', 0)).rejects.toThrow(RangeError);
  });

  it('survives a crash inside apply mid-batch: nothing skipped, nothing applied twice', async () => {
    await seedScenario(log);
    const batchSize = 4;
    // The 7th catalog event fails: batch 1 (events 1–4) committed, batch 2 (5–8) rolled back.
    const crashing = new Projector({
      store: log.store,
      codec,
      db,
      projection: crashingAt(auditProjection, 7),
      generation: gen(auditProjection),
      batchSize,
    });
    await expect(crashing.catchUp()).rejects.toThrow(InjectedCrash);
    const afterCrash = await crashing.status();
    expect(afterCrash.eventsApplied).toBe(4);
    expect(await countRows(view, 'audit_events')).toBe(4);
    expect(afterCrash.caughtUp).toBe(false);
    expect(afterCrash.lag).toBeGreaterThan(0n);

    // Restart (a fresh instance, as after a process restart): resumes strictly after the checkpoint.
    const restarted = new Projector({
      store: log.store,
      codec,
      db,
      projection: auditProjection,
      generation: gen(auditProjection),
      batchSize,
    });
    const status = await restarted.catchUp();
    expect(status).toMatchObject({ eventsApplied: SCENARIO.audit, caughtUp: true, lag: 0n, version: 2 });
    expect(await countRows(view, 'audit_events')).toBe(SCENARIO.audit);
    const positions = (await searchAudit(view, { limit: 500 })).items.map((i) => i.position);
    expect(new Set(positions).size).toBe(SCENARIO.audit);
  });

  it('changes nothing when run again over the same log, or when the log is redelivered from the start', async () => {
    await seedScenario(log);
    await project(ALL, 3);
    const before = await snapshot(view);
    const statuses = await Promise.all(
      (await createProjectors({ store: log.store, codec, db })).map(async (p) => p.catchUp()),
    );
    expect(statuses.map((s) => [s.projection, s.eventsApplied])).toEqual([
      ['catalog', SCENARIO.catalog],
      ['consent', SCENARIO.consent],
      ['audit', SCENARIO.audit],
      ['lineage', SCENARIO.lineage],
    ]);
    expect(await snapshot(view)).toEqual(before);

    // At-least-once redelivery (e.g. a restored checkpoint): idempotent handlers leave rows unchanged.
    await db.updateTable('projection_checkpoints').set({ position: 'start', events_applied: '0' }).execute();
    await project(ALL, 3);
    expect(await snapshot(view)).toEqual(before);
  });

  it('writes the same rows whatever the batch: one event per transaction or the whole log in one', async () => {
    await seedScenario(log);
    // The catalog holds rows in memory for a batch and writes each once at its end; per event, every
    // change is written as it happens. The rows must not depend on where batches end.
    await project(ALL, 1);
    const eventByEvent = await snapshot(view);
    expect(eventByEvent['catalog_objects']).toHaveLength(4);
    for (const table of ALL_TABLES) await view.deleteFrom(table).execute();
    await db.updateTable('projection_checkpoints').set({ position: 'start', events_applied: '0' }).execute();
    await project(ALL, 10_000);
    expect(await snapshot(view)).toEqual(eventByEvent);
  });

  it("answers history's link lookups as a scan of the log would, from the catalog and the log past its checkpoint", async () => {
    await seedScenario(log);
    await project([catalogProjection]);
    const read = countingReadAll(log.store);
    const index = new CatalogLinkIndex(db, read.store, codec);
    const studyKey = (await getCatalogObject(view, OBJECT_ID))?.studyKey ?? '';
    const lookups = (i: HistoryLinkIndex) =>
      Promise.all([
        i.objectsOfStudy(studyKey),
        i.objectsOfSubject(SUBJECT_ID),
        // Asked together, as history asks for a traversal level: answered by one query.
        i.derivativesOf(OBJECT_ID),
        i.derivativesOf(DERIVED_ID),
        i.derivativesOf('no-such-object'),
      ]);
    const scanned = await lookups(new ScanLinkIndex(log.store, codec));
    expect(scanned[0].map((l) => l.objectId)).toContain(OBJECT_ID);
    expect(scanned[1].map((l) => l.objectId)).toEqual(expect.arrayContaining([OBJECT_ID, DERIVED_ID]));
    expect(scanned[2].map((l) => l.objectId)).toEqual([DERIVED_ID]);
    expect(await lookups(index)).toEqual(scanned);
    // Caught up: the catalog answered. Of the log, only the event at its checkpoint was read, once
    // per batch of lookups (reads of the log include their starting position).
    expect(read.events()).toBeLessThanOrEqual(3);

    // Appended, not yet projected: the log past the checkpoint answers for it.
    const later = 'c0ffee00-0000-4000-8000-000000000001';
    const laterDerived = 'c0ffee00-0000-4000-8000-000000000002';
    await log.append(dataObjectStreamName(later), [objectIngested({ objectId: later, studyKey })]);
    await log.append(dataObjectStreamName(laterDerived), [
      derivedObjectCreated({
        objectId: laterDerived,
        derivedFrom: [OBJECT_ID, later],
        subjectIds: [SUBJECT_ID],
      }),
    ]);
    const withTail = await lookups(new ScanLinkIndex(log.store, codec));
    expect(withTail[2].map((l) => l.objectId)).toEqual([DERIVED_ID, laterDerived]);
    expect(await lookups(index)).toEqual(withTail);
    // Projected since: the same links, each once.
    await project([catalogProjection]);
    expect(await lookups(index)).toEqual(withTail);
    // A rebuilt generation switched in (the old one's links deleted): read from the new one, also
    // for a key not asked for before.
    await rebuildProjection({ store: log.store, codec, db, projection: catalogProjection });
    await db.deleteFrom(physicalTable('catalog_links', gen(catalogProjection)) as 'catalog_links').execute();
    expect(await lookups(index)).toEqual(withTail);
    const legacy = await index.objectsOfSubject(LEGACY_SUBJECT_ID);
    expect(legacy.map((l) => l.objectId)).toEqual([LEGACY_ID]);
    expect(legacy).toEqual(await new ScanLinkIndex(log.store, codec).objectsOfSubject(LEGACY_SUBJECT_ID));
  });

  it('scans the log for history while the active catalog generation predates its links', async () => {
    await seedScenario(log);
    await project([catalogProjection]);
    await db
      .updateTable('projection_generations')
      .set({ schema_version: 2 })
      .where('projection', '=', 'catalog')
      .where('generation', '=', gen(catalogProjection))
      .execute();
    const read = countingReadAll(log.store);
    const links = await new CatalogLinkIndex(db, read.store, codec).derivativesOf(OBJECT_ID);
    expect(links).toEqual(await new ScanLinkIndex(log.store, codec).derivativesOf(OBJECT_ID));
    expect(read.events()).toBe(SCENARIO.total);
  });

  it('advances the checkpoint over filtered-out stretches and reports lag', async () => {
    await seedScenario(log);
    const projector = new Projector({
      store: log.store,
      codec,
      db,
      projection: consentProjection,
      generation: gen(consentProjection),
    });
    const before = await projector.status();
    expect(before).toMatchObject({ position: 'start', eventsApplied: 0, caughtUp: false });
    expect(before.lag).toBe(BigInt(SCENARIO.total));
    const after = await projector.catchUp();
    // Consent events are in the middle of the log; the rest was skipped by the filter.
    expect(after).toMatchObject({ eventsApplied: SCENARIO.consent, caughtUp: true, lag: 0n });
    expect(after.position).toBe(after.headPosition);
  });

  it('detects a second instance of the same projection version (checkpoint compare-and-set)', async () => {
    await seedScenario(log);
    const other = database.connectAgain();
    try {
      const winner = new Projector({
        store: log.store,
        codec,
        db: other.db,
        projection: auditProjection,
        generation: gen(auditProjection),
      });
      let raced = false;
      const racing: Projection = {
        ...auditProjection,
        begin(trx) {
          const batch = auditProjection.begin(trx);
          return {
            async apply(event) {
              if (!raced) {
                raced = true;
                await winner.catchUp(); // the other instance moves the checkpoint meanwhile
              }
              await batch.apply(event);
            },
            end: () => batch.end(),
          };
        },
      };
      const loser = new Projector({
        store: log.store,
        codec,
        db,
        projection: racing,
        generation: gen(racing),
        batchSize: 5,
      });
      const error: unknown = await loser.catchUp().then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(CheckpointConflictError);
      expect(error).toMatchObject({ projection: 'audit', version: 2, expectedPosition: 'start' });
      expect(await loser.status()).toMatchObject({ eventsApplied: SCENARIO.audit, caughtUp: true });
      expect(await countRows(view, 'audit_events')).toBe(SCENARIO.audit);
    } finally {
      await other.close();
    }
  });

  it('follows the log live until stopped', async () => {
    const projector = new Projector({
      store: log.store,
      codec,
      db,
      projection: catalogProjection,
      generation: gen(catalogProjection),
    });
    const running = projector.run();
    await log.append(dataObjectStreamName(OBJECT_ID), [objectIngested()]);
    await waitFor(() => getCatalogObject(view, OBJECT_ID), { description: 'the live event projected' });
    await projector.stop();
    await running;
    expect(await projector.status()).toMatchObject({ eventsApplied: 1, caughtUp: true });
  });
}
