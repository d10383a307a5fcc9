import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { dataObjectDecider, dataObjectStreamName, type DataObjectEvent } from '@medlineage/domain';
import { AT, DERIVED_ID, OBJECT_ID, SUBJECT_ID, curator } from '@medlineage/domain/testing';
import { EventSourcedRepository } from '@medlineage/event-sourcing';
import {
  createProjectors,
  lineageNodeId,
  migrateReadModels,
  type AuditEntry,
  type CatalogEntry,
  type LineageGraph,
  type Page,
  ReadModelDatabase,
  type SubjectConsent,
} from '@medlineage/read-models';
import { describeWithPostgres, uniqueName } from '@medlineage/testing';
import { ApiModule } from './api.module';
import { OPENAPI_PATH, serveOpenApi } from './openapi';
import type { ProjectionStatusView, TimelineEntryView } from './queries';
import {
  LEGACY_ID,
  REJECTED_ID,
  SCENARIO,
  TestEventLog,
  codec,
  seedScenario,
  createTemporarySchema,
} from '@medlineage/read-models/testing';

interface TestReadModels {
  readonly database: ReadModelDatabase;
  dispose(): Promise<void>;
}

interface ErrorBody {
  readonly error: string;
  readonly message: string;
  readonly code?: string;
}

interface HistoryBody {
  readonly entity: { readonly kind: string; readonly id: string };
  readonly asOf: string | null;
  readonly entries: readonly TimelineEntryView[];
}

interface OpenApiBody {
  readonly openapi: string;
  readonly paths: Readonly<Record<string, unknown>>;
}

const INVESTIGATOR = 'user:investigator-7';
const HEADERS = { 'X-Actor': INVESTIGATOR, 'X-Purpose-Of-Use': 'HOPERAT' } as const;
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

/** The API end to end over a seeded embedded event store and the given read-model database. */
function apiSuite(createReadModels: () => Promise<TestReadModels>): void {
  let log: TestEventLog;
  let readModels: TestReadModels;
  let app: INestApplication;
  let repository: EventSourcedRepository;
  let server: Server;

  const get = (path: string, headers: Readonly<Record<string, string>> = HEADERS): request.Test =>
    request(server).get(path).set(headers);

  async function objectEvents(
    objectId: string,
  ): Promise<
    readonly { readonly event: DataObjectEvent; readonly actor: string; readonly purpose: string | null }[]
  > {
    const loaded = await repository.load(dataObjectDecider, dataObjectStreamName(objectId));
    return loaded.events.map((e) => ({
      event: e.event,
      actor: `${e.metadata.actor.kind}:${e.metadata.actor.id}`,
      purpose: e.metadata.purposeOfUse,
    }));
  }

  beforeAll(async () => {
    log = TestEventLog.open();
    await seedScenario(log);
    readModels = await createReadModels();
    const db = readModels.database.db;
    await migrateReadModels(db);
    for (const projector of await createProjectors({ store: log.store, codec, db }))
      await projector.catchUp();
    repository = new EventSourcedRepository(log.store, codec);
    const moduleRef = await Test.createTestingModule({
      imports: [ApiModule.forRoot({ readModels: db, events: log.store, codec, repository })],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    serveOpenApi(app);
    await app.init();
    server = app.getHttpServer() as Server;
  });

  afterAll(async () => {
    await app.close();
    await readModels.dispose();
    await log.close();
  });

  it('refuses requests without a valid X-Actor or X-Purpose-Of-Use', async () => {
    const noActor = await get('/v1/catalog', { 'X-Purpose-Of-Use': 'HOPERAT' }).expect(400);
    expect(noActor.body).toMatchObject({ error: 'bad_request', message: expect.stringContaining('X-Actor') });
    const badActor = await get('/v1/catalog', { ...HEADERS, 'X-Actor': 'robot:1' }).expect(400);
    expect((badActor.body as ErrorBody).message).toContain('X-Actor');
    const noPurpose = await get('/v1/catalog', { 'X-Actor': INVESTIGATOR }).expect(400);
    expect((noPurpose.body as ErrorBody).message).toContain('X-Purpose-Of-Use');
    const badPurpose = await get('/v1/catalog', { ...HEADERS, 'X-Purpose-Of-Use': 'CURIOSITY' }).expect(400);
    expect((badPurpose.body as ErrorBody).message).toContain('X-Purpose-Of-Use');
  });

  it('searches the catalog with filters and paginates by cursor without overlap', async () => {
    const all = (await get('/v1/catalog').expect(200)).body as Page<CatalogEntry>;
    // The scenario's objects: the original, its derivative, a rejected upload and a legacy ingest.
    expect(all.items).toHaveLength(4);
    expect(all.nextCursor).toBeNull();

    const first = (await get('/v1/catalog?limit=2&sort=objectId').expect(200)).body as Page<CatalogEntry>;
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = (
      await get(
        `/v1/catalog?limit=2&sort=objectId&cursor=${encodeURIComponent(first.nextCursor ?? '')}`,
      ).expect(200)
    ).body as Page<CatalogEntry>;
    expect(second.items).toHaveLength(2);
    expect(second.nextCursor).toBeNull();
    const ids = [...first.items, ...second.items].map((e) => e.objectId);
    expect(new Set(ids).size).toBe(4);
    expect([...ids].sort()).toEqual(all.items.map((e) => e.objectId).sort());
    expect(ids).toEqual([...ids].sort());

    const rejected = (await get('/v1/catalog?status=rejected').expect(200)).body as Page<CatalogEntry>;
    expect(rejected.items.map((e) => e.objectId)).toEqual([REJECTED_ID]);
    const several = (await get('/v1/catalog?status=rejected,derived&direction=desc').expect(200))
      .body as Page<CatalogEntry>;
    expect(several.items.map((e) => e.objectId).sort()).toEqual([DERIVED_ID, REJECTED_ID].sort());
    const bySubject = (await get(`/v1/catalog?subjectId=${SUBJECT_ID}&status=classified`).expect(200))
      .body as Page<CatalogEntry>;
    expect(bySubject.items.every((e) => e.subjectId === SUBJECT_ID && e.status === 'classified')).toBe(true);
    const none = (await get('/v1/catalog?ingestedFrom=2100-01-01T00:00:00Z').expect(200))
      .body as Page<CatalogEntry>;
    expect(none.items).toEqual([]);
  });

  it('answers bad catalog input with 400 saying what is wrong', async () => {
    const unknown = (await get('/v1/catalog?colour=red&limit=2').expect(400)).body as ErrorBody;
    expect(unknown).toMatchObject({ error: 'bad_request' });
    expect(unknown.message).toContain('colour');
    expect(((await get('/v1/catalog?limit=501').expect(400)).body as ErrorBody).message).toContain('limit');
    expect(((await get('/v1/catalog?limit=two').expect(400)).body as ErrorBody).message).toContain('limit');
    expect(((await get('/v1/catalog?status=lost').expect(400)).body as ErrorBody).message).toContain(
      'status',
    );
    expect(((await get('/v1/catalog?tier=LUKEWARM').expect(400)).body as ErrorBody).message).toContain(
      'tier',
    );
    expect(((await get('/v1/catalog?phiBearing=yes').expect(400)).body as ErrorBody).message).toContain(
      'phiBearing',
    );
    expect(
      ((await get('/v1/catalog?ingestedFrom=yesterday').expect(400)).body as ErrorBody).message,
    ).toContain('ingestedFrom');
    expect(((await get('/v1/catalog?limit=1&limit=2').expect(400)).body as ErrorBody).message).toContain(
      'limit',
    );
    expect(((await get('/v1/catalog?cursor=not-a-cursor').expect(400)).body as ErrorBody).message).toContain(
      'cursor',
    );
    const page = (await get('/v1/catalog?limit=1').expect(200)).body as Page<CatalogEntry>;
    const otherSort = (
      await get(
        `/v1/catalog?limit=1&sort=updatedAt&cursor=${encodeURIComponent(page.nextCursor ?? '')}`,
      ).expect(400)
    ).body as ErrorBody;
    expect(otherSort.message).toContain('cursor');
  });

  it('returns an object and records the read as ObjectAccessed with the caller and purpose', async () => {
    const before = await objectEvents(OBJECT_ID);
    const response = await get(`/v1/objects/${OBJECT_ID}`, {
      ...HEADERS,
      'X-Request-Id': 'req-object-1',
    }).expect(200);
    const entry = response.body as CatalogEntry;
    expect(entry).toMatchObject({ objectId: OBJECT_ID, subjectId: SUBJECT_ID });

    const after = await objectEvents(OBJECT_ID);
    expect(after).toHaveLength(before.length + 1);
    const last = after.at(-1);
    expect(last).toMatchObject({
      actor: INVESTIGATOR,
      purpose: 'HOPERAT',
      event: {
        type: 'ObjectAccessed',
        data: {
          objectId: OBJECT_ID,
          accessType: 'QUERY_METADATA',
          returned: 'METADATA_ONLY',
          channel: 'REST_API',
          purposeOfUse: 'HOPERAT',
        },
      },
    });

    // The same request id again is the same access: nothing is recorded twice.
    await get(`/v1/objects/${OBJECT_ID}`, { ...HEADERS, 'X-Request-Id': 'req-object-1' }).expect(200);
    expect(await objectEvents(OBJECT_ID)).toHaveLength(before.length + 1);
    // The legacy (v1-ingested) object is read through the upcasters.
    await get(`/v1/objects/${LEGACY_ID}`).expect(200);
  });

  it('answers 404 for unknown objects, 400 for malformed ids, 403 with the code for denied reads', async () => {
    expect((await get(`/v1/objects/${UNKNOWN_ID}`).expect(404)).body).toMatchObject({ error: 'not_found' });
    expect((await get('/v1/objects/bad%20id').expect(400)).body).toMatchObject({ error: 'bad_request' });
    expect((await get(`/v1/objects/${OBJECT_ID}?verbose=1`).expect(400)).body).toMatchObject({
      message: expect.stringContaining('verbose'),
    });
    const denied = (await get(`/v1/objects/${REJECTED_ID}`).expect(403)).body as ErrorBody;
    expect(denied).toMatchObject({ error: 'forbidden', code: 'OBJECT_REJECTED' });
    const events = await objectEvents(REJECTED_ID);
    expect(events.at(-1)).toMatchObject({ actor: INVESTIGATOR, event: { type: 'ObjectAccessDenied' } });
    // A retry of a denied read (same request id) is still denied, and recorded once.
    const retried = { ...HEADERS, 'X-Request-Id': 'req-denied-1' };
    await get(`/v1/objects/${REJECTED_ID}`, retried).expect(403);
    expect((await get(`/v1/objects/${REJECTED_ID}`, retried).expect(403)).body).toMatchObject({
      code: 'OBJECT_REJECTED',
    });
    expect(await objectEvents(REJECTED_ID)).toHaveLength(events.length + 1);
  });

  it('searches the audit trail by actor', async () => {
    const page = (await get(`/v1/audit?actor=user:${curator.id}&limit=500`).expect(200))
      .body as Page<AuditEntry>;
    expect(page.items).toHaveLength(SCENARIO.byCurator);
    expect(page.items.every((e) => e.actor.id === curator.id && e.actor.kind === 'user')).toBe(true);
    const first = (await get(`/v1/audit?actor=${curator.id}&limit=3`).expect(200)).body as Page<AuditEntry>;
    const rest = (
      await get(
        `/v1/audit?actor=${curator.id}&limit=3&cursor=${encodeURIComponent(first.nextCursor ?? '')}`,
      ).expect(200)
    ).body as Page<AuditEntry>;
    expect([...first.items, ...rest.items].map((e) => e.eventId)).toEqual(page.items.map((e) => e.eventId));
    const window = (
      await get(`/v1/audit?object=${OBJECT_ID}&from=${AT.toISOString()}&to=2026-11-20T09:17:00Z`).expect(200)
    ).body as Page<AuditEntry>;
    expect(window.items.map((e) => e.eventType)).toEqual(['ObjectIngested', 'ObjectClassified']);
    expect(((await get('/v1/audit?to=soon').expect(400)).body as ErrorBody).message).toContain('to');
    expect(((await get('/v1/audit?who=me').expect(400)).body as ErrorBody).message).toContain('who');
  });

  it("returns a subject's consent", async () => {
    const consent = (await get(`/v1/subjects/${SUBJECT_ID}/consent`).expect(200)).body as SubjectConsent;
    expect(consent.current).toMatchObject({ subjectId: SUBJECT_ID, status: 'restricted' });
    expect(consent.history.map((h) => h.eventType)).toEqual([
      'SubjectConsentRecorded',
      'SubjectConsentRestricted',
    ]);
    await get('/v1/subjects/subjectnobodyknows/consent').expect(404);
  });

  it('traces lineage downstream and validates direction and depth', async () => {
    const start = lineageNodeId.object(OBJECT_ID);
    const graph = (
      await get(`/v1/lineage/${encodeURIComponent(start)}?direction=downstream&depth=5`).expect(200)
    ).body as LineageGraph;
    expect(graph.nodes[0]).toMatchObject({ nodeId: start, depth: 0 });
    expect(graph.nodes.map((n) => n.nodeId)).toContain(lineageNodeId.object(DERIVED_ID));
    expect(graph.edges.length).toBeGreaterThan(0);
    const shallow = (await get(`/v1/lineage/${start}?depth=1`).expect(200)).body as LineageGraph;
    expect(shallow.nodes.every((n) => n.depth <= 1)).toBe(true);
    expect(((await get(`/v1/lineage/${start}?depth=11`).expect(400)).body as ErrorBody).message).toContain(
      'depth',
    );
    expect(
      ((await get(`/v1/lineage/${start}?direction=sideways`).expect(400)).body as ErrorBody).message,
    ).toContain('direction');
    await get(`/v1/lineage/${lineageNodeId.object(UNKNOWN_ID)}`).expect(404);
  });

  it('reports the status of each projection', async () => {
    const body = (await get('/v1/projections').expect(200)).body as {
      readonly projections: readonly ProjectionStatusView[];
    };
    expect(body.projections.map((p) => p.projection).sort()).toEqual([
      'audit',
      'catalog',
      'consent',
      'lineage',
    ]);
    for (const status of body.projections) {
      expect(status).toMatchObject({
        version: expect.any(Number),
        stale: false,
        rebuilding: null,
        schemaVersion: status.codeSchemaVersion,
        position: expect.stringMatching(/^C:\d+\/P:\d+$/),
        lag: expect.stringMatching(/^\d+$/),
        caughtUp: expect.any(Boolean),
      });
    }
  });

  it('returns the history of an object, as of an instant, and audits the read', async () => {
    const before = await objectEvents(OBJECT_ID);
    const history = (await get(`/v1/history/object/${OBJECT_ID}`).expect(200)).body as HistoryBody;
    expect(history.entity).toEqual({ kind: 'object', id: OBJECT_ID });
    expect(history.entries[0]).toMatchObject({ eventType: 'ObjectIngested', depth: 0 });
    expect(history.entries.map((e) => e.eventType)).toContain('DerivedObjectCreated');
    expect(await objectEvents(OBJECT_ID)).toHaveLength(before.length + 1);

    const asOf = new Date(AT.getTime() + 30_000).toISOString();
    const early = (await get(`/v1/history/object/${OBJECT_ID}?asOf=${asOf}`).expect(200)).body as HistoryBody;
    expect(early.asOf).toBe(asOf);
    expect(early.entries.map((e) => e.eventType)).toEqual(['ObjectIngested']);

    const subject = (await get(`/v1/history/subject/${SUBJECT_ID}`).expect(200)).body as HistoryBody;
    expect(subject.entries.length).toBeGreaterThan(0);
    expect(((await get(`/v1/history/planet/${OBJECT_ID}`).expect(400)).body as ErrorBody).message).toContain(
      'kind',
    );
    expect(
      ((await get(`/v1/history/object/${OBJECT_ID}?asOf=then`).expect(400)).body as ErrorBody).message,
    ).toContain('asOf');
    await get(`/v1/history/object/${UNKNOWN_ID}`).expect(404);
  });

  it('serves the OpenAPI document with every v1 path', async () => {
    const doc = (await request(server).get(OPENAPI_PATH).expect(200)).body as OpenApiBody;
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        '/v1/audit',
        '/v1/catalog',
        '/v1/history/{kind}/{id}',
        '/v1/lineage/{nodeId}',
        '/v1/objects/{objectId}',
        '/v1/projections',
        '/v1/subjects/{subjectId}/consent',
      ].sort(),
    );
  });

  it('answers unknown routes with 404 JSON', async () => {
    expect((await get('/v1/nothing-here').expect(404)).body).toMatchObject({ error: 'not_found' });
  });
}

describe('query API on SQLite read models', () => {
  apiSuite(() => {
    const dir = mkdtempSync(join(tmpdir(), 'medlineage-api-rm-'));
    const database = ReadModelDatabase.open({ url: `sqlite:${join(dir, 'read-models.db')}` });
    return Promise.resolve({
      database,
      dispose: async () => {
        await database.close();
        rmSync(dir, { recursive: true, force: true });
      },
    });
  });
});

describeWithPostgres('query API on PostgreSQL read models', (postgres) => {
  apiSuite(async () => {
    const url = postgres().connectionString;
    const schema = uniqueName('api', { separator: '_' });
    const dropSchema = await createTemporarySchema(url, schema);
    const database = ReadModelDatabase.open({ url, schema, poolSize: 4 });
    return {
      database,
      dispose: async () => {
        await database.close();
        await dropSchema();
      },
    };
  });
});
