import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  EVENT_UPCASTERS,
  dataObjectDecider,
  dataObjectStreamName,
  datasetDecider,
  datasetStreamName,
  modelDecider,
  modelStreamName,
  subjectConsentDecider,
  subjectConsentStreamName,
  type DataObjectCommand,
  type DatasetCommand,
  type ModelCommand,
  type SubjectConsentCommand,
} from '@medlineage/domain';
import {
  CONSENT_ID,
  DERIVED_ID,
  HOLD_ID,
  OBJECT_ID,
  SAMPLE_IDS,
  SUBJECT_ID,
  changeTier,
  classifyObject,
  createDatasetVersion,
  createDerivedObject,
  defineDataset,
  deidentifyObject,
  ingestObject,
  invalidateDatasetVersion,
  issueDatasetExport,
  placeHold,
  recordConsent,
  recordTrainingRun,
  releaseHold,
  restrictConsent,
  revokeConsent,
  sampleEvent,
} from '@medlineage/domain/testing';
import { EventCodec, loadSchemaCatalogue } from '@medlineage/event-codec';
import { EmbeddedEventStore } from '@medlineage/event-store-embedded';
import { EventSourcedRepository, type CommandContext } from '@medlineage/event-sourcing';
import {
  deterministicId,
  openEnvelope,
  sealEnvelope,
  type Actor,
  type Decider,
  type DomainEvent,
  type PurposeOfUse,
} from '@medlineage/kernel';
import { formatAsOf, formatTimeline } from './format-timeline';
import { HistoryService } from './history-service';
import { runHistoryCli } from './history-cli';
import { ScanLinkIndex } from './link-index';
import { HISTORY_ENTITY_KINDS, type TimelineEntry } from './timeline';

// Every envelope opening in this process goes through this spy: history must never call it.
jest.mock('@medlineage/kernel', () => {
  const actual = jest.requireActual<{ readonly openEnvelope: typeof openEnvelope }>('@medlineage/kernel');
  return { ...actual, openEnvelope: jest.fn(actual.openEnvelope) };
});

const codec = new EventCodec(loadSchemaCatalogue(), EVENT_UPCASTERS);

const STUDY = sampleEvent('ObjectIngested').data.studyKey ?? 'stk-missing';
const O2 = 'f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b'; // the sample manifest's second object
const O3 = '9d8e7f60-1a2b-4c3d-8e4f-5a6b7c8d9e0f'; // unrelated: other study, other subject
const D2 = '4b3a2918-0f7e-4d6c-9b5a-483726150f1e'; // derived from the de-identified object
const OTHER_SUBJECT = 'subk9zz2mm4kq7lp3wd8xn5tb6cy2hr1ua';
const PLANTED_PHI = 'ZZ-PLANTED-Doe^Jane-1961-03-14';
const MODEL_ID = SAMPLE_IDS.modelId;
const DATASET_ID = SAMPLE_IDS.datasetId;

const t = (iso: string): Date => new Date(iso);
const T = {
  consentRecorded: t('2026-01-12T10:30:00.000Z'),
  ingestO: t('2026-11-20T09:00:00.000Z'),
  classifyO: t('2026-11-20T09:05:00.000Z'),
  ingestO2: t('2026-11-20T09:10:00.000Z'),
  deidentifyO: t('2026-11-20T09:20:00.000Z'),
  createD: t('2026-11-20T09:21:00.000Z'),
  tierO: t('2026-11-20T09:30:00.000Z'),
  holdO: t('2026-11-20T09:40:00.000Z'),
  ingestO3: t('2026-11-20T10:00:00.000Z'),
  createD2: t('2026-11-20T10:05:00.000Z'),
  defineDataset: t('2026-11-20T11:00:00.000Z'),
  datasetV1: t('2026-11-20T11:10:00.000Z'),
  exportV1: t('2026-11-20T11:20:00.000Z'),
  trainV1: t('2026-11-20T11:30:00.000Z'),
  registerModel: t('2026-11-20T11:40:00.000Z'),
  releaseO: t('2026-11-20T12:00:00.000Z'),
  consentRestricted: t('2026-11-21T09:00:00.000Z'),
  consentRevoked: t('2026-11-22T09:00:00.000Z'),
  invalidateV1: t('2026-11-22T10:00:00.000Z'),
  datasetV2: t('2026-11-22T10:30:00.000Z'),
} as const;
const justBefore = (d: Date): Date => new Date(d.getTime() - 1);

describe('HistoryService over the embedded store', () => {
  let dir: string;
  let store: EmbeddedEventStore;
  let service: HistoryService;
  let sealedCiphertextHex: string;
  let openWithKey: () => unknown;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'medlineage-history-'));
    store = new EmbeddedEventStore({ path: join(dir, 'events.db') });
    let now = T.consentRecorded;
    const repo = new EventSourcedRepository(store, codec, { clock: () => now });
    const step = async <C, S, E extends DomainEvent>(
      at: Date,
      decider: Decider<C, S, E>,
      stream: string,
      command: C,
      actor: Actor,
      purposeOfUse: PurposeOfUse | null = null,
    ): Promise<void> => {
      now = at;
      const causeId = `${stream}@${at.toISOString()}`;
      const context: CommandContext = {
        causeId,
        actor,
        purposeOfUse,
        correlationId: deterministicId('corr', causeId),
        causationId: null,
        occurredAt: new Date(at.getTime() - 30_000),
        producer: { name: '@medlineage/history-spec', version: '0.0.0' },
        source: null,
      };
      const outcome = await repo.handle(decider, stream, command, context);
      if (outcome.kind !== 'appended') throw new Error(`${stream}: ${outcome.kind}`);
    };
    const obj = (at: Date, c: DataObjectCommand, actor: Actor, p: PurposeOfUse | null = null) =>
      step(at, dataObjectDecider, dataObjectStreamName(c.objectId), c, actor, p);
    const consent = (at: Date, c: SubjectConsentCommand) =>
      step(at, subjectConsentDecider, subjectConsentStreamName(c.subjectId), c, c.actor);
    const dataset = (at: Date, c: DatasetCommand) =>
      step(at, datasetDecider, datasetStreamName(c.datasetId), c, c.actor, 'HRESCH');
    const model = (at: Date, c: ModelCommand) =>
      step(at, modelDecider, modelStreamName(c.modelId), c, c.actor);

    // Real ciphertext of a planted identifier: history must carry it sealed and never open it.
    const subjectKey = { keyId: `subject-key/${SUBJECT_ID}/1`, material: randomBytes(32) };
    const identity = sealEnvelope(
      subjectKey,
      { patientName: PLANTED_PHI },
      `${SUBJECT_ID}:identity`,
      randomBytes(12),
    );
    sealedCiphertextHex = Buffer.from(identity.ciphertext).toString('hex');
    openWithKey = () => openEnvelope(identity, subjectKey.material);

    const gateway: Actor = { kind: 'service', id: 'svc-ingest' };
    const classifier: Actor = { kind: 'service', id: 'svc-classifier' };
    const curator: Actor = { kind: 'user', id: 'staff-2b81c0' };
    const derivedSubjects = [SUBJECT_ID];

    await consent(T.consentRecorded, recordConsent());
    await obj(T.ingestO, ingestObject({ identity }), gateway);
    await obj(T.classifyO, classifyObject(), classifier);
    await obj(
      T.ingestO2,
      ingestObject({
        objectId: O2,
        requestId: 'c0ffee00-1234-4abc-8def-0123456789b2',
        subjectId: OTHER_SUBJECT,
        identity: null,
        originalName: null,
      }),
      gateway,
    );
    await obj(T.deidentifyO, deidentifyObject(), classifier);
    await obj(T.createD, createDerivedObject(), classifier);
    await obj(T.tierO, changeTier(), gateway);
    await obj(T.holdO, placeHold(), curator, 'HOPERAT');
    await obj(
      T.ingestO3,
      ingestObject({
        objectId: O3,
        requestId: 'c0ffee00-1234-4abc-8def-0123456789b3',
        subjectId: 'subkunrelated0000000000000000000000',
        studyKey: 'stkunrelated00000000',
        identity: null,
        originalName: null,
      }),
      gateway,
    );
    await obj(
      T.createD2,
      createDerivedObject({
        objectId: D2,
        sources: [{ objectId: DERIVED_ID, status: 'stored', subjectIds: derivedSubjects }],
        transformation: 'FORMAT_CONVERSION',
        contentSha256: 'bb'.repeat(32),
      }),
      classifier,
    );
    await dataset(T.defineDataset, defineDataset());
    await dataset(T.datasetV1, createDatasetVersion({ objectIds: [DERIVED_ID, O2] }));
    await dataset(T.exportV1, issueDatasetExport());
    await dataset(T.trainV1, recordTrainingRun());
    const registered = sampleEvent('ModelRegistered').data;
    await model(T.registerModel, {
      type: 'RegisterModel',
      ...registered,
      at: T.registerModel,
      actor: { kind: 'service', id: 'svc-training' },
    });
    await obj(T.releaseO, releaseHold(), curator, 'HOPERAT');
    await consent(T.consentRestricted, restrictConsent());
    await consent(T.consentRevoked, revokeConsent());
    await dataset(T.invalidateV1, invalidateDatasetVersion());
    await dataset(
      T.datasetV2,
      createDatasetVersion({ version: 2, objectIds: [DERIVED_ID], manifestSha256: 'cc'.repeat(32) }),
    );
  });

  beforeEach(() => {
    service = new HistoryService(store, codec);
    jest.mocked(openEnvelope).mockClear();
  });

  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** `<stream> <type>` per entry, in order: compact and exact. */
  const shape = (entries: readonly TimelineEntry[]): string[] =>
    entries.map((e) => `${'  '.repeat(e.depth)}${e.streamName} ${e.eventType}`);
  const positions = (entries: readonly TimelineEntry[]): string[] =>
    entries.map((e) => `${e.position.commit}`);
  const o = (id: string): string => dataObjectStreamName(id);
  const ds = datasetStreamName(DATASET_ID);

  function expectOrderedAndUnique(entries: readonly TimelineEntry[]): void {
    const ps = entries.map((e) => e.position.commit);
    expect(new Set(ps).size).toBe(ps.length);
    expect([...ps].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(ps);
  }

  describe('timeline of an object', () => {
    it('given a lifecycle and a derivation chain, when asked, then lists its own and its derivatives’ events in global order, once each', async () => {
      const entries = await service.timeline({ kind: 'object', id: OBJECT_ID });

      expect(shape(entries)).toEqual([
        `${o(OBJECT_ID)} ObjectIngested`,
        `${o(OBJECT_ID)} ObjectClassified`,
        `${o(OBJECT_ID)} ObjectDeidentified`,
        `  ${o(DERIVED_ID)} DerivedObjectCreated`,
        `${o(OBJECT_ID)} ObjectTierChanged`,
        `${o(OBJECT_ID)} LegalHoldPlaced`,
        `    ${o(D2)} DerivedObjectCreated`,
        `${o(OBJECT_ID)} LegalHoldReleased`,
      ]);
      expectOrderedAndUnique(entries);
      // D is reached twice (ObjectDeidentified in O, DerivedObjectCreated naming O): one link, one visit.
      expect(entries[3]?.via).toMatchObject({ relation: 'derived', from: { kind: 'object', id: OBJECT_ID } });
      expect(entries[6]?.via).toMatchObject({
        relation: 'derived',
        from: { kind: 'object', id: DERIVED_ID },
      });
    });

    it('carries the full envelope of every entry', async () => {
      const [ingested] = await service.timeline({ kind: 'object', id: OBJECT_ID });
      expect(ingested).toMatchObject({
        streamName: o(OBJECT_ID),
        revision: 0n,
        eventType: 'ObjectIngested',
        schemaVersion: { writer: 3, current: 3 },
        occurredAt: new Date(T.ingestO.getTime() - 30_000),
        recordedAt: T.ingestO,
        actor: { kind: 'service', id: 'svc-ingest' },
        purposeOfUse: null,
        correlationId: deterministicId('corr', `${o(OBJECT_ID)}@${T.ingestO.toISOString()}`),
        causationId: null,
        producer: { name: '@medlineage/history-spec', version: '0.0.0' },
        node: { kind: 'object', id: OBJECT_ID },
        depth: 0,
        via: null,
      });
      expect(ingested?.summary).toBe(
        `object ${OBJECT_ID} ingested at site ${ingestObject().site} from gateway ${ingestObject().gatewayId}; subject ${SUBJECT_ID}, study ${STUDY}, tier ${ingestObject().storageTier}, ${ingestObject().sizeBytes} bytes, identity sealed`,
      );
    });

    it('with includeLinked false, lists only its own stream', async () => {
      const entries = await service.timeline({ kind: 'object', id: OBJECT_ID }, { includeLinked: false });
      expect(entries.map((e) => e.streamName)).toEqual(Array(6).fill(o(OBJECT_ID)));
    });

    it('stops following derivations at the depth limit', async () => {
      const shallow = new HistoryService(store, codec, { maxDepth: 1 });
      const entries = await shallow.timeline({ kind: 'object', id: OBJECT_ID });
      expect(entries.map((e) => e.streamName)).not.toContain(o(D2));
      expect(entries.map((e) => e.streamName)).toContain(o(DERIVED_ID));
    });

    it('as of a time, lists only what was recorded by then', async () => {
      const entries = await service.timeline({ kind: 'object', id: OBJECT_ID }, { asOf: T.tierO });
      expect(shape(entries)).toEqual([
        `${o(OBJECT_ID)} ObjectIngested`,
        `${o(OBJECT_ID)} ObjectClassified`,
        `${o(OBJECT_ID)} ObjectDeidentified`,
        `  ${o(DERIVED_ID)} DerivedObjectCreated`,
        `${o(OBJECT_ID)} ObjectTierChanged`,
      ]);
    });
  });

  describe('timeline of a dataset', () => {
    it('given versions, an export, a run and a model, when asked, then lists them with every member and derivative of a member', async () => {
      const entries = await service.timeline({ kind: 'dataset', id: DATASET_ID });

      expect(shape(entries)).toEqual([
        `  ${o(O2)} ObjectIngested`,
        `  ${o(DERIVED_ID)} DerivedObjectCreated`,
        `    ${o(D2)} DerivedObjectCreated`,
        `${ds} DatasetDefined`,
        `${ds} DatasetVersionCreated`,
        `${ds} DatasetExportIssued`,
        `${ds} DatasetConsumedByTrainingRun`,
        `  ${modelStreamName(MODEL_ID)} ModelRegistered`,
        `${ds} DatasetVersionInvalidated`,
        `${ds} DatasetVersionCreated`,
      ]);
      expectOrderedAndUnique(entries);
      // Objects of both versions: DERIVED_ID is in v1 and v2 but listed once.
      expect(entries.filter((e) => e.streamName === o(DERIVED_ID))).toHaveLength(1);
      expect(entries.find((e) => e.eventType === 'ModelRegistered')?.via?.relation).toBe('consumer');
      expect(entries[0]?.via?.relation).toBe('member');
      expect(entries.find((e) => e.eventType === 'DatasetExportIssued')?.purposeOfUse).toBe('HRESCH');
    });
  });

  describe('timeline of a study', () => {
    it('lists every object carrying the study key, with their derivatives, and nothing else', async () => {
      const entries = await service.timeline({ kind: 'study', id: STUDY });
      expect(shape(entries)).toEqual([
        `${o(OBJECT_ID)} ObjectIngested`,
        `${o(OBJECT_ID)} ObjectClassified`,
        `${o(O2)} ObjectIngested`,
        `${o(OBJECT_ID)} ObjectDeidentified`,
        `  ${o(DERIVED_ID)} DerivedObjectCreated`,
        `${o(OBJECT_ID)} ObjectTierChanged`,
        `${o(OBJECT_ID)} LegalHoldPlaced`,
        `    ${o(D2)} DerivedObjectCreated`,
        `${o(OBJECT_ID)} LegalHoldReleased`,
      ]);
      expectOrderedAndUnique(entries);
      expect(entries.map((e) => e.streamName)).not.toContain(o(O3));
    });

    it('an unknown study has an empty timeline', async () => {
      expect(await service.timeline({ kind: 'study', id: 'stk-nobody' })).toEqual([]);
    });
  });

  describe('timeline of a subject', () => {
    it('lists the consent stream and every object of the subject, each event once', async () => {
      const entries = await service.timeline({ kind: 'subject', id: SUBJECT_ID });
      expect(shape(entries)).toEqual([
        `${subjectConsentStreamName(SUBJECT_ID)} SubjectConsentRecorded`,
        `  ${o(OBJECT_ID)} ObjectIngested`,
        `  ${o(OBJECT_ID)} ObjectClassified`,
        `  ${o(OBJECT_ID)} ObjectDeidentified`,
        `  ${o(DERIVED_ID)} DerivedObjectCreated`,
        `  ${o(OBJECT_ID)} ObjectTierChanged`,
        `  ${o(OBJECT_ID)} LegalHoldPlaced`,
        `  ${o(D2)} DerivedObjectCreated`,
        `  ${o(OBJECT_ID)} LegalHoldReleased`,
        `${subjectConsentStreamName(SUBJECT_ID)} SubjectConsentRestricted`,
        `${subjectConsentStreamName(SUBJECT_ID)} SubjectConsentRevoked`,
      ]);
      expectOrderedAndUnique(entries);
      expect(new Set(positions(entries)).size).toBe(entries.length);
    });
  });

  describe('as of T (recordedAt ≤ T)', () => {
    it('an object: absent before ingest, classified after classification, held after the hold, released after release', async () => {
      const ref = { kind: 'object', id: OBJECT_ID } as const;

      const before = await service.asOf(ref, justBefore(T.ingestO));
      expect(before).toMatchObject({ kind: 'object', state: { status: 'absent' }, lineage: [] });

      const classified = await service.asOf(ref, T.classifyO);
      expect(classified.kind === 'object' && classified.state).toMatchObject({
        status: 'classified',
        classification: { dataClass: 'IMAGING' },
        object: { activeHoldIds: [], tier: ingestObject().storageTier, deidentifiedAs: [] },
      });
      expect(classified.lineage).toEqual([]);

      const held = await service.asOf(ref, T.holdO);
      expect(held.kind === 'object' && held.state).toMatchObject({
        status: 'classified',
        object: { activeHoldIds: [HOLD_ID], tier: changeTier().toTier, deidentifiedAs: [DERIVED_ID] },
      });
      expect(held.lineage.map((l) => `${l.from?.id ?? '-'}>${l.to.id}:${l.relation}`)).toEqual([
        `${OBJECT_ID}>${DERIVED_ID}:derived`,
      ]);

      const released = await service.asOf(ref, T.releaseO);
      expect(released.kind === 'object' && released.state).toMatchObject({ object: { activeHoldIds: [] } });
      expect(released.lineage.map((l) => `${l.from?.id ?? '-'}>${l.to.id}:${l.relation}`)).toEqual([
        `${OBJECT_ID}>${DERIVED_ID}:derived`,
        `${DERIVED_ID}>${D2}:derived`,
      ]);
    });

    it('a subject: no consent before recording, active, restricted, then revoked', async () => {
      const ref = { kind: 'subject', id: SUBJECT_ID } as const;
      const consentAt = async (at: Date) => {
        const r = await service.asOf(ref, at);
        if (r.kind !== 'subject') throw new Error(r.kind);
        return r;
      };
      expect((await consentAt(justBefore(T.consentRecorded))).consent).toEqual({ status: 'none' });
      const recorded = await consentAt(T.consentRecorded);
      expect(recorded.consent).toMatchObject({ status: 'active', consent: { consentId: CONSENT_ID } });
      expect(recorded.objects).toEqual([]);

      const restricted = await consentAt(T.consentRestricted);
      expect(
        restricted.consent.status === 'active' && restricted.consent.consent.permittedUses,
      ).not.toContain('MODEL_TRAINING');
      expect(restricted.objects.map((x) => [x.objectId, x.state.status])).toEqual([
        [OBJECT_ID, 'classified'],
        [DERIVED_ID, 'stored'],
        [D2, 'stored'],
      ]);

      const revoked = await consentAt(T.consentRevoked);
      expect(revoked.consent).toMatchObject({ status: 'revoked', last: { consentId: CONSENT_ID } });
    });

    it('a dataset: undefined before, then versions, exports and runs as they were recorded', async () => {
      const ref = { kind: 'dataset', id: DATASET_ID } as const;
      const at = async (d: Date) => {
        const r = await service.asOf(ref, d);
        if (r.kind !== 'dataset') throw new Error(r.kind);
        return r;
      };
      expect((await at(justBefore(T.defineDataset))).state).toEqual({ status: 'undefined' });

      const defined = await at(T.defineDataset);
      expect(defined.state).toMatchObject({ status: 'defined', versions: [], exportIds: [] });
      expect(defined.lineage).toEqual([]);

      const trained = await at(T.trainV1);
      expect(trained.state).toMatchObject({
        versions: [{ invalidation: null }],
        exportIds: [SAMPLE_IDS.exportId],
        trainingRunIds: [SAMPLE_IDS.trainingRunId],
      });
      expect(trained.lineage.map((l) => `${l.to.kind}:${l.to.id}:${l.relation}`)).toEqual([
        // by the position of the establishing event: D2 was derived from D before v1 listed D.
        `object:${D2}:derived`,
        `object:${DERIVED_ID}:member`,
        `object:${O2}:member`,
        `model:${MODEL_ID}:consumer`,
      ]);

      const latest = await at(T.datasetV2);
      expect(
        latest.state.status === 'defined' &&
          latest.state.versions.map((v) => [v.created.version, v.invalidation]),
      ).toEqual([
        [1, 'CONSENT_REVOKED'],
        [2, null],
      ]);
    });

    it('a study: its objects as they stood', async () => {
      const r = await service.asOf({ kind: 'study', id: STUDY }, T.ingestO2);
      expect(r.kind === 'study' && r.objects.map((x) => [x.objectId, x.state.status])).toEqual([
        [OBJECT_ID, 'classified'],
        [O2, 'stored'],
      ]);
    });
  });

  it('never yields plaintext PHI: no envelope is opened and summaries carry only ids and codes', async () => {
    const outputs: string[] = [];
    for (const kind of HISTORY_ENTITY_KINDS) {
      const id = { object: OBJECT_ID, dataset: DATASET_ID, study: STUDY, subject: SUBJECT_ID }[kind];
      const entries = await service.timeline({ kind, id });
      expect(entries.length).toBeGreaterThan(0);
      for (const e of entries) {
        // ids, codes, versions, counts, dates: no free text, no hashes of names, no envelope bytes.
        expect(e.summary).toMatch(/^[A-Za-z0-9 ._,:;()@>/+-]+$/);
      }
      outputs.push(formatTimeline(entries), formatAsOf(await service.asOf({ kind, id }, T.datasetV2)));
      outputs.push(JSON.stringify(entries, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
    }
    const all = outputs.join('\n');
    expect(all).not.toContain(PLANTED_PHI);
    expect(all).not.toContain('Doe');
    expect(all).not.toContain(sealedCiphertextHex);
    expect(all).not.toContain(sampleEvent('ObjectIngested').data.originalName?.hmacSha256 ?? 'no-name-hash');
    expect(jest.mocked(openEnvelope)).not.toHaveBeenCalled();

    // Control: the planted value is real ciphertext, and opening it is what the spy would catch.
    expect(openWithKey()).toEqual({ patientName: PLANTED_PHI });
    expect(jest.mocked(openEnvelope)).toHaveBeenCalledTimes(1);
  });

  describe('secondary index', () => {
    it('is built by one scan of the log, then catches up incrementally', async () => {
      const index = new ScanLinkIndex(store, codec);
      const withIndex = new HistoryService(store, codec, { index });
      await withIndex.timeline({ kind: 'study', id: STUDY });
      const head = await store.headPosition();
      expect(BigInt(index.scannedEvents)).toBe(head?.commit);
      await withIndex.timeline({ kind: 'subject', id: SUBJECT_ID });
      expect(BigInt(index.scannedEvents)).toBe(head?.commit);
    });
  });

  describe('runHistoryCli', () => {
    const run = async (argv: string[]) => {
      let out = '';
      const code = await runHistoryCli(argv, { store, codec, out: { write: (s: string) => (out += s) } });
      return { code, out };
    };

    it('detects a dataset id and prints one line per event, linked entities indented', async () => {
      const { code, out } = await run([DATASET_ID]);
      expect(code).toBe(0);
      const lines = out.trimEnd().split('\n');
      expect(lines[0]).toBe(`History of dataset ${DATASET_ID}: 10 events`);
      expect(lines).toHaveLength(11);
      expect(lines[1]).toMatch(
        new RegExp(
          `^${T.ingestO2.toISOString()} \\(occurred [^)]+\\)    ObjectIngested \\[member\\]  service:svc-ingest  purpose -  object ${O2} ingested`,
        ),
      );
      expect(lines[4]).toMatch(/ {2}DatasetDefined {2}user:staff-5e90aa {2}purpose HRESCH {2}dataset /);
    });

    it('prints the state with --as-of and honours --kind', async () => {
      const { code, out } = await run([OBJECT_ID, '--kind', 'object', `--as-of=${T.holdO.toISOString()}`]);
      expect(code).toBe(0);
      expect(out).toContain(`History of object ${OBJECT_ID} as of ${T.holdO.toISOString()}: 6 events`);
      expect(out).toContain(`object ${OBJECT_ID}: classified IMAGING`);
      expect(out).toContain(`holds ${HOLD_ID}`);
      expect(out).toContain(`link derived: object ${OBJECT_ID} -> object ${DERIVED_ID}`);
    });

    it('reports an unknown id (1) and bad usage (2)', async () => {
      expect((await run(['no-such-id'])).code).toBe(1);
      expect((await run([OBJECT_ID, '--as-of', 'yesterday'])).code).toBe(2);
      expect((await run(['--kind', 'planet', OBJECT_ID])).code).toBe(2);
    });
  });
});
