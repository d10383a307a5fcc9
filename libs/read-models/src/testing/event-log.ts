import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  EVENT_UPCASTERS,
  dataObjectStreamName,
  datasetStreamName,
  modelStreamName,
  policyStreamName,
  subjectConsentStreamName,
  type DomainEventUnion,
  type EventType,
} from '@medlineage/domain';
import {
  AT,
  DERIVED_ID,
  OBJECT_ID,
  SAMPLE_IDS,
  SUBJECT_ID,
  consentRecorded,
  consentRestricted,
  curator,
  datasetConsumedByTrainingRun,
  datasetDefined,
  datasetExportIssued,
  datasetVersionCreated,
  derivedObjectCreated,
  gatewayService,
  holdPlaced,
  holdReleased,
  objectAccessed,
  objectClassified,
  objectDeidentified,
  objectIngested,
  sampleEvent,
  sampleLegacyData,
  tierChanged,
} from '@medlineage/domain/testing';
import { EventCodec, loadSchemaCatalogue } from '@medlineage/event-codec';
import { EmbeddedEventStore } from '@medlineage/event-store-embedded';
import { deterministicId, type Actor, type EventMetadata } from '@medlineage/kernel';

/*
 * Test support (`@medlineage/read-models/testing`): a real embedded event store in a temp dir, fed with
 * domain sample fixtures encoded through the real codec, exactly as EventSourcedRepository writes them.
 */

export const codec = new EventCodec(loadSchemaCatalogue(), EVENT_UPCASTERS);

const MINUTE_MS = 60_000;

export interface AppendOptions {
  readonly actor?: Actor;
}

export class TestEventLog {
  readonly store: EmbeddedEventStore;
  private seq = 0;

  private constructor(readonly dir: string) {
    this.store = new EmbeddedEventStore({ path: join(dir, 'events.db'), pollIntervalMs: 20 });
  }

  static open(): TestEventLog {
    return new TestEventLog(mkdtempSync(join(tmpdir(), 'medlineage-read-models-')));
  }

  /** Appends events (current schema versions) to a stream; each one minute after the previous. */
  async append(
    stream: string,
    events: readonly DomainEventUnion[],
    options: AppendOptions = {},
  ): Promise<void> {
    await this.store.appendToStream(
      stream,
      events.map((event) => {
        const n = this.seq++;
        return {
          id: deterministicId('test-event', stream, n),
          type: event.type,
          data: codec.encode(event.type, event.data),
          metadata: codec.encode(
            'EventMetadata',
            this.metadata(event.type, codec.catalogue.latest(event.type).version, n, options),
          ),
        };
      }),
      { expectedRevision: 'any' },
    );
  }

  /** Appends one event written with an older schema version (decoded through resolution/upcasters). */
  async appendLegacy(
    stream: string,
    type: EventType,
    version: number,
    data: Readonly<Record<string, unknown>>,
    options: AppendOptions = {},
  ): Promise<void> {
    const n = this.seq++;
    await this.store.appendToStream(
      stream,
      [
        {
          id: deterministicId('test-event', stream, n),
          type,
          data: codec.encodeVersion(type, version, data),
          metadata: codec.encode('EventMetadata', this.metadata(type, version, n, options)),
        },
      ],
      { expectedRevision: 'any' },
    );
  }

  /** When the n-th appended event occurred. */
  static occurredAt(n: number): Date {
    return new Date(AT.getTime() + n * MINUTE_MS);
  }

  async close(): Promise<void> {
    await this.store.close();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private metadata(type: string, version: number, n: number, options: AppendOptions): EventMetadata {
    const occurredAt = TestEventLog.occurredAt(n);
    return {
      eventType: type,
      schemaVersion: version,
      occurredAt,
      recordedAt: new Date(occurredAt.getTime() + 1000),
      actor: options.actor ?? gatewayService,
      purposeOfUse: 'HOPERAT',
      correlationId: deterministicId('corr', n),
      causationId: n === 0 ? null : deterministicId('cause', n - 1),
      producer: { name: '@medlineage/read-models-test', version: '0.0.0' },
      source: null,
    };
  }
}

export const REJECTED_ID = sampleEvent('ObjectRejected').data.objectId;
export const LEGACY_ID = 'b7c8d9e0-f1a2-4b3c-8d4e-5f6a7b8c9d0e';
export const LEGACY_SUBJECT_ID = 'subl3gacyq2w4e6r8t0y1u3i5o7p9a2s4d6';
export const POLICY_ID = SAMPLE_IDS.policyId;
export const DATASET_ID = SAMPLE_IDS.datasetId;
export const MODEL_ID = SAMPLE_IDS.modelId;
export const EXPORT_ID = SAMPLE_IDS.exportId;
export const OTHER_MANIFEST_OBJECT = 'f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b';

/** Events per projection in {@link seedScenario}. */
export const SCENARIO = {
  total: 19,
  // Object events plus the subject's consent (schema 2 of the catalog tracks eligibility).
  catalog: 12,
  consent: 2,
  lineage: 6,
  audit: 19,
  /** Events by the curator (the only user actor in the scenario). */
  byCurator: 4,
} as const;

/**
 * A small but complete history: an object ingested, classified, held, moved, de-identified,
 * accessed and released; its derivative; a rejected upload; a legacy (v1) ingest and classification; a subject's
 * consent; a policy; a dataset version exported and trained on; the model.
 */
export async function seedScenario(log: TestEventLog): Promise<void> {
  const object = dataObjectStreamName(OBJECT_ID);
  await log.append(object, [objectIngested(), objectClassified()]);
  await log.append(object, [holdPlaced(), tierChanged()], { actor: curator });
  await log.append(object, [objectDeidentified()]);
  await log.append(dataObjectStreamName(DERIVED_ID), [derivedObjectCreated()]);
  await log.append(dataObjectStreamName(REJECTED_ID), [sampleEvent('ObjectRejected')]);
  const legacy = sampleLegacyData().find((s) => s.eventType === 'ObjectIngested' && s.version === 1);
  if (legacy === undefined) throw new Error('no ObjectIngested v1 sample');
  await log.appendLegacy(dataObjectStreamName(LEGACY_ID), 'ObjectIngested', 1, {
    ...legacy.data,
    objectId: LEGACY_ID,
    subjectId: LEGACY_SUBJECT_ID,
  });
  // ObjectClassified v1 (free-text residency) reaches the projections through the v1→v2 upcaster.
  const classifiedV1 = sampleLegacyData().find((s) => s.eventType === 'ObjectClassified' && s.version === 1);
  if (classifiedV1 === undefined) throw new Error('no ObjectClassified v1 sample');
  await log.appendLegacy(dataObjectStreamName(LEGACY_ID), 'ObjectClassified', 1, {
    ...classifiedV1.data,
    objectId: LEGACY_ID,
  });
  await log.append(subjectConsentStreamName(SUBJECT_ID), [consentRecorded(), consentRestricted()]);
  await log.append(policyStreamName(POLICY_ID), [sampleEvent('PolicyVersionPublished')]);
  await log.append(datasetStreamName(DATASET_ID), [
    datasetDefined(),
    datasetVersionCreated(),
    datasetExportIssued(),
    datasetConsumedByTrainingRun(),
  ]);
  await log.append(modelStreamName(MODEL_ID), [sampleEvent('ModelRegistered')]);
  await log.append(object, [objectAccessed(), holdReleased()], { actor: curator });
}
