import {
  dataObjectDecider,
  dataObjectStreamName,
  datasetDecider,
  datasetStreamName,
  modelDecider,
  modelStreamName,
  subjectConsentDecider,
  subjectConsentStreamName,
  type DatasetCommand,
} from '@medlineage/domain';
import {
  createDatasetVersion,
  defineDataset,
  issueDatasetExport,
  recordAccess,
  recordConsent,
  recordTrainingRun,
  restrictConsent,
  sampleEvent,
} from '@medlineage/domain/testing';
import type { EventCodec } from '@medlineage/event-codec';
import type { EventStore } from '@medlineage/event-store';
import { EventSourcedRepository } from '@medlineage/event-sourcing';
import {
  deterministicId,
  type Actor,
  type Decider,
  type DomainEvent,
  type PurposeOfUse,
} from '@medlineage/kernel';
import { DAY_MS, MINUTE_MS } from './bench-support';
import {
  isDeidentified,
  scheduleObjectLifecycle,
  type ScheduleObjectCommand,
} from './history-object-lifecycle';

export interface HistoryWorkload {
  readonly datasetId: string;
  readonly memberCount: number;
  readonly derivedCount: number;
  readonly noiseObjectCount: number;
  readonly subjectCount: number;
  readonly commands: number;
}

const BASE = Date.parse('2026-09-01T07:00:00.000Z');
const steward: Actor = { kind: 'user', id: 'staff-5e90aa' };
const consentClerk: Actor = { kind: 'user', id: 'staff-c41d07' };
const training: Actor = { kind: 'service', id: 'svc-training' };
const exportJob: Actor = { kind: 'service', id: 'svc-export' };

/**
 * A store as production would hold it once a 1,000-object training dataset has been built: every
 * event decided by the domain deciders and appended by the repository (real envelopes,
 * deterministic ids, Kafka sources on ingest), all commands run in time order so that a stream's
 * events are scattered over the log, with unrelated objects, subjects' consents and a second
 * dataset around it.
 */
export async function buildHistoryWorkload(
  store: EventStore,
  codec: EventCodec,
  options: { readonly members: number; readonly noiseObjects: number },
): Promise<HistoryWorkload> {
  let now = new Date(BASE);
  const repo = new EventSourcedRepository(store, codec, { clock: () => now });
  const steps: { readonly at: number; readonly run: () => Promise<void> }[] = [];
  let kafkaOffset = 0;

  const schedule = <C, S, E extends DomainEvent>(
    ms: number,
    decider: Decider<C, S, E>,
    stream: string,
    command: C,
    actor: Actor,
    purposeOfUse: PurposeOfUse | null,
    fromKafka = false,
  ): void => {
    const causeId = `${stream}@${ms}#${steps.length}`;
    const run = async (): Promise<void> => {
      now = new Date(ms);
      // Offsets in the order the records would have been consumed.
      const source = fromKafka
        ? {
            topic: 'medlineage.ingest.requests.v1',
            partition: kafkaOffset % 6,
            offset: String(kafkaOffset++),
          }
        : null;
      const outcome = await repo.handle(decider, stream, command, {
        causeId,
        actor,
        purposeOfUse,
        correlationId: deterministicId('corr', stream),
        causationId: null,
        occurredAt: new Date(ms - 1500),
        producer: { name: fromKafka ? '@medlineage/ingest' : '@medlineage/api', version: '0.1.0' },
        source,
      });
      if (outcome.kind !== 'appended') throw new Error(`${stream}: ${outcome.kind}`);
    };
    steps.push({ at: ms, run });
  };
  const onObject: ScheduleObjectCommand = (ms, command, actor, purposeOfUse, fromKafka) =>
    schedule(
      ms,
      dataObjectDecider,
      dataObjectStreamName(command.objectId),
      command,
      actor,
      purposeOfUse,
      fromKafka,
    );
  const onDataset = (ms: number, command: DatasetCommand): void =>
    schedule(ms, datasetDecider, datasetStreamName(command.datasetId), command, steward, 'HRESCH');

  const subjects = Math.max(1, Math.ceil((options.members + options.noiseObjects) / 4));
  const subjectId = (i: number): string =>
    `subk${deterministicId('subject', i % subjects)
      .replaceAll('-', '')
      .slice(0, 30)}`;
  const objectId = (i: number): string => deterministicId('bench-history', 'object', i);
  const object = (index: number, start: number) => ({
    index,
    objectId: objectId(index),
    subjectId: subjectId(index),
    studyKey: `stk${deterministicId('study', Math.floor(index / 10))
      .replaceAll('-', '')
      .slice(0, 17)}`,
    start,
  });

  const memberIds = Array.from({ length: options.members }, (_, i) => objectId(i));
  memberIds.forEach((_, i) => scheduleObjectLifecycle(onObject, object(i, BASE + i * 2 * MINUTE_MS)));
  // Unrelated objects ingested over the same weeks, interleaved with the members.
  for (let j = 0; j < options.noiseObjects; j++) {
    scheduleObjectLifecycle(onObject, object(options.members + j, BASE + j * MINUTE_MS + 30_000));
  }
  for (let s = 0; s < subjects; s++) {
    const subject = subjectId(s);
    const stream = subjectConsentStreamName(subject);
    const consentId = deterministicId('consent', s);
    const recorded = BASE - DAY_MS + s * MINUTE_MS;
    const command = recordConsent({ subjectId: subject, consentId, at: new Date(recorded) });
    schedule(recorded, subjectConsentDecider, stream, command, consentClerk, null);
    if (s % 9 === 0) {
      const restricted = BASE + 50 * DAY_MS + s * MINUTE_MS;
      const restriction = restrictConsent({ subjectId: subject, consentId, at: new Date(restricted) });
      schedule(restricted, subjectConsentDecider, stream, restriction, consentClerk, null);
    }
  }

  // The dataset: defined, version 1 listing every member, exported, consumed by a training run
  // whose model is registered; the export job then reads each member.
  const datasetId = deterministicId('bench-history', 'dataset');
  const version = (id: string, objectIds: readonly string[], ms: number) =>
    createDatasetVersion({
      datasetId: id,
      objectIds,
      subjectCount: Math.min(subjects, objectIds.length),
      totalSizeBytes: objectIds.length * 527_104,
      manifestSha256: deterministicId('manifest', id).replaceAll('-', '').padEnd(64, 'f'),
      consentCheckedAsOf: new Date(ms - 2 * 60 * MINUTE_MS),
      at: new Date(ms),
    });
  const defined = BASE + 20 * DAY_MS;
  const v1 = BASE + 45 * DAY_MS;
  onDataset(defined, defineDataset({ datasetId, at: new Date(defined) }));
  onDataset(v1, version(datasetId, memberIds, v1));
  onDataset(v1 + DAY_MS, issueDatasetExport({ datasetId, at: new Date(v1 + DAY_MS) }));
  onDataset(v1 + 3 * DAY_MS, recordTrainingRun({ datasetId, at: new Date(v1 + 3 * DAY_MS) }));
  const model = sampleEvent('ModelRegistered').data;
  const registered = v1 + 4 * DAY_MS;
  const register = {
    type: 'RegisterModel',
    ...model,
    trainedOn: [{ datasetId, version: 1 }],
    at: new Date(registered),
    actor: training,
  } as const;
  schedule(registered, modelDecider, modelStreamName(model.modelId), register, training, null);
  memberIds.forEach((id, i) => {
    const ms = v1 + DAY_MS + i * 1000;
    const read = recordAccess({
      objectId: id,
      accessId: deterministicId('export-read', i),
      accessType: 'PIPELINE_READ',
      representation: 'METADATA_ONLY',
      derivativeObjectId: null,
      purposeOfUse: 'HRESCH',
      channel: 'EXPORT_JOB',
      at: new Date(ms),
      actor: exportJob,
    });
    onObject(ms, read, exportJob, 'HRESCH');
  });

  // A second dataset over some of the unrelated objects.
  const otherId = deterministicId('bench-history', 'dataset', 'other');
  const others = Array.from({ length: Math.min(300, options.noiseObjects) }, (_, j) =>
    objectId(options.members + j),
  );
  if (others.length > 0) {
    onDataset(
      defined + DAY_MS,
      defineDataset({ datasetId: otherId, name: 'Head CT 2026', at: new Date(defined + DAY_MS) }),
    );
    onDataset(v1 + 2 * DAY_MS, version(otherId, others, v1 + 2 * DAY_MS));
  }

  steps.sort((a, b) => a.at - b.at);
  for (const step of steps) await step.run();
  return {
    datasetId,
    memberCount: options.members,
    derivedCount: memberIds.filter((_, i) => isDeidentified(i)).length,
    noiseObjectCount: options.noiseObjects,
    subjectCount: subjects,
    commands: steps.length,
  };
}
