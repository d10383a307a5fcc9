import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Test } from '@nestjs/testing';
import {
  EVENT_UPCASTERS,
  dataObjectDecider,
  dataObjectStreamName,
  subjectConsentDecider,
  subjectConsentStreamName,
} from '@medlineage/domain';
import {
  OBJECT_ID,
  SUBJECT_ID,
  classifyObject,
  ingestObject,
  recordConsent,
} from '@medlineage/domain/testing';
import { EventCodec, loadSchemaCatalogue } from '@medlineage/event-codec';
import { EventSourcedRepository, type CommandContext } from '@medlineage/event-sourcing';
import { EmbeddedEventStore } from '@medlineage/event-store-embedded';
import { deterministicId } from '@medlineage/kernel';
import {
  ReadModelDatabase,
  embeddedReadModelUrl,
  getCatalogObject,
  servingView,
} from '@medlineage/read-models';
import { waitFor } from '@medlineage/testing';
import { ProjectorHost } from './projector-host';
import { ProjectorModule } from './projector.module';

const ctx = (causeId: string): CommandContext => ({
  causeId,
  actor: { kind: 'service', id: 'svc-test' },
  purposeOfUse: 'HOPERAT',
  correlationId: deterministicId('corr', causeId),
  causationId: null,
  occurredAt: new Date('2026-11-20T09:15:00.000Z'),
  producer: { name: 'test', version: '0' },
  source: null,
});

describe('projector service (NestJS host)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'medlineage-projector-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('catches up at start, follows live appends, and stops cleanly with the application', async () => {
    const codec = new EventCodec(loadSchemaCatalogue(), EVENT_UPCASTERS);
    const store = new EmbeddedEventStore({ path: join(dir, 'events.db'), pollIntervalMs: 20 });
    const repo = new EventSourcedRepository(store, codec);
    await repo.handle(dataObjectDecider, dataObjectStreamName(OBJECT_ID), ingestObject(), ctx('1'));
    await repo.handle(subjectConsentDecider, subjectConsentStreamName(SUBJECT_ID), recordConsent(), ctx('2'));
    const readModels = ReadModelDatabase.open({ url: embeddedReadModelUrl(dir) });

    const moduleRef = await Test.createTestingModule({
      imports: [ProjectorModule.forRoot({ store, codec, db: readModels.db })],
    }).compile();
    const app = moduleRef.createNestApplication();
    await app.init();
    const host = app.get(ProjectorHost);

    await waitFor(
      async () => {
        const statuses = await host.status();
        return statuses.length === 4 && statuses.every((s) => s.caughtUp && s.position !== 'start');
      },
      {
        timeoutMs: 20_000,
        description: 'caught up',
      },
    );
    expect((await getCatalogObject(await servingView(readModels.db), OBJECT_ID))?.status).toBe('ingested');

    // Live: an event appended after catch-up reaches the read model.
    await repo.handle(dataObjectDecider, dataObjectStreamName(OBJECT_ID), classifyObject(), ctx('3'));
    await waitFor(
      async () =>
        (await getCatalogObject(await servingView(readModels.db), OBJECT_ID))?.status === 'classified',
      {
        timeoutMs: 20_000,
        description: 'classified in the catalog',
      },
    );
    const statuses = await host.status();
    expect(statuses.map((s) => s.projection).sort()).toEqual(['audit', 'catalog', 'consent', 'lineage']);
    expect(statuses.find((s) => s.projection === 'audit')?.eventsApplied).toBe(3);

    await app.close();
    await readModels.close();
    await store.close();
  });
});
