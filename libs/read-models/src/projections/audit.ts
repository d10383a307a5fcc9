import { ALL_EVENT_TYPES } from '@medlineage/domain';
import type { Projection } from '../projection';
import { iso } from './support';

function stringField(data: object, key: string): string | null {
  const value: unknown = (data as Readonly<Record<string, unknown>>)[key];
  return typeof value === 'string' ? value : null;
}

/** The one subject an event is about, when there is exactly one (pseudonymous id). */
function subjectOf(data: object): string | null {
  const direct = stringField(data, 'subjectId');
  if (direct !== null) return direct;
  const many: unknown = (data as Readonly<Record<string, unknown>>)['subjectIds'];
  return Array.isArray(many) && many.length === 1 && typeof many[0] === 'string' ? many[0] : null;
}

/** One row per event of the log: who did what, why, with which tool, to which object/subject/dataset. */
export const auditProjection: Projection = {
  name: 'audit',
  version: 1,
  eventTypes: ALL_EVENT_TYPES,
  async apply(trx, e) {
    const { metadata: m } = e;
    const data: object = e.event.data;
    await trx
      .insertInto('audit_v1_events')
      .values({
        event_id: e.id,
        position: e.positionText,
        commit_pos: String(e.position.commit),
        prepare_pos: String(e.position.prepare),
        stream_name: e.streamName,
        stream_revision: String(e.revision),
        event_type: e.event.type,
        schema_version: m.schemaVersion,
        actor_kind: m.actor.kind,
        actor_id: m.actor.id,
        purpose_of_use: m.purposeOfUse,
        occurred_at: iso(m.occurredAt),
        recorded_at: iso(m.recordedAt),
        correlation_id: m.correlationId,
        causation_id: m.causationId,
        producer_name: m.producer.name,
        producer_version: m.producer.version,
        object_id: stringField(data, 'objectId'),
        subject_id: subjectOf(data),
        dataset_id: stringField(data, 'datasetId'),
        model_id: stringField(data, 'modelId'),
      })
      .onConflict((oc) => oc.column('event_id').doNothing())
      .execute();
  },
};
