import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DomainError,
  EVENT_UPCASTERS,
  dataObjectDecider,
  dataObjectStreamName,
  subjectConsentDecider,
  subjectConsentStreamName,
} from '@medlineage/domain';
import {
  CONSENT_ID,
  OBJECT_ID,
  SUBJECT_ID,
  ingestObject,
  recordConsent,
  restrictConsent,
  revokeConsent,
  sampleLegacyData,
} from '@medlineage/domain/testing';
import { EventCodec, loadSchemaCatalogue } from '@medlineage/event-codec';
import { EmbeddedEventStore } from '@medlineage/event-store-embedded';
import { collect } from '@medlineage/event-store/testing';
import { deterministicId, type EventMetadata } from '@medlineage/kernel';
import type { CommandContext } from './command-context';
import { EventSourcedRepository } from './event-sourced-repository';

const codec = new EventCodec(loadSchemaCatalogue(), EVENT_UPCASTERS);
const recordedAt = new Date('2026-11-23T12:00:00.000Z');

function context(causeId: string): CommandContext {
  return {
    causeId,
    actor: { kind: 'user', id: 'staff-c41d07' },
    purposeOfUse: 'TREAT',
    correlationId: deterministicId('corr', causeId),
    causationId: null,
    occurredAt: new Date('2026-11-23T11:59:00.000Z'),
    producer: { name: '@medlineage/test', version: '0.0.0' },
    source: { topic: 'medlineage.ingest.requests.v1', partition: 1, offset: causeId },
  };
}

describe('EventSourcedRepository (embedded store)', () => {
  let dir: string;
  let store: EmbeddedEventStore;
  let repo: EventSourcedRepository;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'medlineage-repo-'));
    store = new EmbeddedEventStore({ path: join(dir, 'events.db') });
    repo = new EventSourcedRepository(store, codec, { clock: () => recordedAt });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('appends decided events with the full envelope and loads them back into state', async () => {
    const stream = subjectConsentStreamName(SUBJECT_ID);
    const outcome = await repo.handle(subjectConsentDecider, stream, recordConsent(), context('1'));
    expect(outcome.kind).toBe('appended');

    const [stored] = await collect(store.readStream(stream));
    if (!stored) throw new Error('nothing stored');
    expect(stored.id).toBe(deterministicId('event', '1', stream, 0));
    expect(codec.decode<EventMetadata>(stored.metadata, 'EventMetadata').value).toEqual({
      eventType: 'SubjectConsentRecorded',
      schemaVersion: 2,
      occurredAt: new Date('2026-11-23T11:59:00.000Z'),
      recordedAt,
      actor: { kind: 'user', id: 'staff-c41d07' },
      purposeOfUse: 'TREAT',
      correlationId: deterministicId('corr', '1'),
      causationId: null,
      producer: { name: '@medlineage/test', version: '0.0.0' },
      source: { topic: 'medlineage.ingest.requests.v1', partition: 1, offset: '1' },
    });
    const loaded = await repo.load(subjectConsentDecider, stream);
    expect(loaded.revision).toBe(0n);
    expect(loaded.events.map((e) => e.event.type)).toEqual(['SubjectConsentRecorded']);
  });

  it('recognises a redelivered cause and writes nothing twice', async () => {
    const stream = subjectConsentStreamName(SUBJECT_ID);
    await repo.handle(subjectConsentDecider, stream, recordConsent(), context('7'));
    await repo.handle(subjectConsentDecider, stream, restrictConsent(), context('8'));
    // Cause 7 again (e.g. Kafka redelivery after a crash before the offset commit).
    await expect(repo.handle(subjectConsentDecider, stream, recordConsent(), context('7'))).resolves.toEqual({
      kind: 'duplicate',
    });
    expect(await store.streamRevision(stream)).toBe(1n);
  });

  it('reports an idempotent command as unchanged', async () => {
    const stream = dataObjectStreamName(OBJECT_ID);
    await repo.handle(dataObjectDecider, stream, ingestObject(), context('a'));
    await expect(repo.handle(dataObjectDecider, stream, ingestObject(), context('b'))).resolves.toEqual({
      kind: 'unchanged',
    });
  });

  it('re-decides after a concurrent writer: both commands land, in some order', async () => {
    const stream = subjectConsentStreamName(SUBJECT_ID);
    await repo.handle(subjectConsentDecider, stream, recordConsent(), context('r'));
    const other = new EventSourcedRepository(store, codec);
    const results = await Promise.all([
      repo.handle(subjectConsentDecider, stream, restrictConsent(), context('s')),
      other.handle(subjectConsentDecider, stream, revokeConsent(), context('t')),
    ]);
    expect(results.map((r) => r.kind).sort()).toEqual(['appended', 'appended']);
    const loaded = await repo.load(subjectConsentDecider, stream);
    expect(loaded.events).toHaveLength(3);
  });

  it('lets a domain error through and appends nothing', async () => {
    const stream = subjectConsentStreamName(SUBJECT_ID);
    const attempt = repo.handle(
      subjectConsentDecider,
      stream,
      revokeConsent({ consentId: CONSENT_ID }),
      context('x'),
    );
    await expect(attempt).rejects.toBeInstanceOf(DomainError);
    expect(await store.streamRevision(stream)).toBeNull();
  });

  it('loads events stored at older schema versions in their current shape', async () => {
    const legacy = sampleLegacyData().find((l) => l.eventType === 'ObjectIngested' && l.version === 1);
    if (!legacy) throw new Error('no legacy ObjectIngested v1 sample');
    const stream = dataObjectStreamName(OBJECT_ID);
    const meta = { ...context('old'), eventType: 'ObjectIngested', schemaVersion: 1, recordedAt };
    const { causeId: _c, ...metadata } = meta;
    await store.appendToStream(
      stream,
      [
        {
          id: deterministicId('legacy'),
          type: 'ObjectIngested',
          data: codec.encodeVersion('ObjectIngested', 1, legacy.data),
          metadata: codec.encode('EventMetadata', metadata),
        },
      ],
      { expectedRevision: 'no_stream' },
    );
    const loaded = await repo.load(dataObjectDecider, stream);
    expect(loaded.state.status).toBe('stored');
    expect(loaded.events[0]?.event.data).toHaveProperty('contentSha256');
  });
});
