import { ALL_EVENT_TYPES } from '@medlineage/domain';
import { physicalTable } from '../generations';
import { insertMany } from '../insert-many';
import type { DecodedEvent, Projection, SchemaDb } from '../projection';
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

/**
 * Generation `g`'s tables (`audit_v<g>_…`), empty. Schema 2: a row is keyed by its log position,
 * which only grows, so loading the log appends to the right edge of that one index; schema 1 keyed
 * rows by event id (random) and fed every index row by row.
 */
async function createTables(db: SchemaDb, g: number): Promise<void> {
  const events = physicalTable('audit_events', g);
  await db.schema
    .createTable(events)
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('position', 'text', (c) => c.notNull())
    .addColumn('commit_pos', 'bigint', (c) => c.notNull())
    .addColumn('prepare_pos', 'bigint', (c) => c.notNull())
    .addColumn('stream_name', 'text', (c) => c.notNull())
    .addColumn('stream_revision', 'bigint', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('schema_version', 'integer', (c) => c.notNull())
    .addColumn('actor_kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('purpose_of_use', 'text')
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('correlation_id', 'text', (c) => c.notNull())
    .addColumn('causation_id', 'text')
    .addColumn('producer_name', 'text', (c) => c.notNull())
    .addColumn('producer_version', 'text', (c) => c.notNull())
    .addColumn('object_id', 'text')
    .addColumn('subject_id', 'text')
    .addColumn('dataset_id', 'text')
    .addColumn('model_id', 'text')
    .execute();
  await db.schema
    .createIndex(`${events}_position_idx`)
    .on(events)
    .columns(['commit_pos', 'prepare_pos'])
    .unique()
    .execute();
}

/** Audit search filters by one of these and pages in log order. */
async function createQueryIndexes(db: SchemaDb, g: number): Promise<void> {
  const events = physicalTable('audit_events', g);
  for (const column of ['actor_id', 'subject_id', 'object_id', 'dataset_id', 'occurred_at']) {
    await db.schema
      .createIndex(`${events}_${column}_idx`)
      .ifNotExists()
      .on(events)
      .columns([column, 'commit_pos', 'prepare_pos'])
      .execute();
  }
}

function auditRow(e: DecodedEvent) {
  const { metadata: m } = e;
  const data: object = e.event.data;
  return {
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
    occurred_at: e.occurredAt,
    recorded_at: iso(m.recordedAt),
    correlation_id: m.correlationId,
    causation_id: m.causationId,
    producer_name: m.producer.name,
    producer_version: m.producer.version,
    object_id: stringField(data, 'objectId'),
    subject_id: subjectOf(data),
    dataset_id: stringField(data, 'datasetId'),
    model_id: stringField(data, 'modelId'),
  };
}

/** One row per event of the log: who did what, why, with which tool, to which object/subject/dataset. */
export const auditProjection: Projection = {
  name: 'audit',
  schemaVersion: 2,
  createTables,
  createQueryIndexes,
  eventTypes: ALL_EVENT_TYPES,
  begin(trx) {
    // Rows are only ever added, so a batch's rows go in together when it ends.
    const rows: ReturnType<typeof auditRow>[] = [];
    return {
      apply(e) {
        rows.push(auditRow(e));
        return Promise.resolve();
      },
      end: () =>
        insertMany(trx, 'audit.insert', rows, (values) =>
          trx
            .insertInto('audit_events')
            .values(values)
            .onConflict((oc) => oc.columns(['commit_pos', 'prepare_pos']).doNothing()),
        ),
    };
  },
};
