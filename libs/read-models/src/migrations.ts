import { Migrator, type Kysely, type Migration, type MigrationResultSet } from 'kysely';

/*
 * Versioned migrations, in code (no files to ship). Every read-model VERSION owns its tables
 * (`<model>_v<N>_…`), so a blue/green rebuild adds a `_v2` migration beside `_v1` and switches
 * `projection_active_version` once v2 has caught up. Migrations never change a released one.
 * Portable DDL only: text, integer, bigint; timestamps as ISO text.
 */

// Migrations run before the schema exists, so they take an untyped Kysely (as Kysely's docs do).
type AnyDb = Kysely<unknown>;

const infrastructure: Migration = {
  async up(db: AnyDb) {
    await db.schema
      .createTable('projection_checkpoints')
      .addColumn('projection', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('position', 'text', (c) => c.notNull())
      .addColumn('events_applied', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('projection_checkpoints_pk', ['projection', 'version'])
      .execute();
    await db.schema
      .createTable('projection_active_version')
      .addColumn('projection', 'text', (c) => c.primaryKey())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('activated_at', 'text', (c) => c.notNull())
      .execute();
  },
};

const catalogV1: Migration = {
  async up(db: AnyDb) {
    await db.schema
      .createTable('catalog_v1_objects')
      .addColumn('object_id', 'text', (c) => c.primaryKey())
      .addColumn('subject_id', 'text')
      .addColumn('study_key', 'text')
      .addColumn('series_key', 'text')
      .addColumn('site', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('data_class', 'text')
      .addColumn('format', 'text')
      .addColumn('modality', 'text')
      .addColumn('sensitivity', 'text')
      .addColumn('phi_bearing', 'integer')
      .addColumn('tier', 'text')
      .addColumn('zone', 'text')
      .addColumn('bucket', 'text')
      .addColumn('location_key', 'text')
      .addColumn('deidentified', 'integer', (c) => c.notNull())
      .addColumn('deidentified_copy_id', 'text')
      .addColumn('derived_from', 'text')
      .addColumn('legal_holds', 'integer', (c) => c.notNull())
      .addColumn('retention_class', 'text')
      .addColumn('retain_until', 'text')
      .addColumn('retention_expired', 'integer', (c) => c.notNull())
      .addColumn('size_bytes', 'bigint')
      .addColumn('ingested_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('last_position', 'text', (c) => c.notNull())
      .addColumn('last_commit', 'bigint', (c) => c.notNull())
      .addColumn('last_prepare', 'bigint', (c) => c.notNull())
      .execute();
    for (const column of ['subject_id', 'study_key', 'status', 'data_class', 'ingested_at', 'updated_at']) {
      await db.schema
        .createIndex(`catalog_v1_objects_${column}_idx`)
        .on('catalog_v1_objects')
        .columns([column, 'object_id'])
        .execute();
    }
    await db.schema
      .createTable('catalog_v1_legal_holds')
      .addColumn('object_id', 'text', (c) => c.notNull())
      .addColumn('hold_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('placed_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('catalog_v1_legal_holds_pk', ['object_id', 'hold_id'])
      .execute();
  },
};

const consentV1: Migration = {
  async up(db: AnyDb) {
    await db.schema
      .createTable('consent_v1_subjects')
      .addColumn('subject_id', 'text', (c) => c.primaryKey())
      .addColumn('consent_id', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('site', 'text')
      .addColumn('form_id', 'text')
      .addColumn('form_version', 'text')
      .addColumn('signatory', 'text')
      .addColumn('permitted_uses', 'text', (c) => c.notNull())
      .addColumn('excluded_classes', 'text', (c) => c.notNull())
      .addColumn('effective_from', 'text')
      .addColumn('expires_at', 'text')
      .addColumn('revoked_at', 'text')
      .addColumn('revocation_scope', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('last_position', 'text', (c) => c.notNull())
      .addColumn('last_commit', 'bigint', (c) => c.notNull())
      .addColumn('last_prepare', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('consent_v1_history')
      .addColumn('event_id', 'text', (c) => c.primaryKey())
      .addColumn('subject_id', 'text', (c) => c.notNull())
      .addColumn('consent_id', 'text', (c) => c.notNull())
      .addColumn('event_type', 'text', (c) => c.notNull())
      .addColumn('position', 'text', (c) => c.notNull())
      .addColumn('commit_pos', 'bigint', (c) => c.notNull())
      .addColumn('prepare_pos', 'bigint', (c) => c.notNull())
      .addColumn('occurred_at', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'text', (c) => c.notNull())
      .addColumn('detail', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('consent_v1_history_subject_idx')
      .on('consent_v1_history')
      .columns(['subject_id', 'commit_pos', 'prepare_pos'])
      .execute();
  },
};

const auditV1: Migration = {
  async up(db: AnyDb) {
    await db.schema
      .createTable('audit_v1_events')
      .addColumn('event_id', 'text', (c) => c.primaryKey())
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
      .createIndex('audit_v1_events_position_idx')
      .on('audit_v1_events')
      .columns(['commit_pos', 'prepare_pos'])
      .unique()
      .execute();
    for (const column of ['actor_id', 'subject_id', 'object_id', 'dataset_id', 'occurred_at']) {
      await db.schema
        .createIndex(`audit_v1_events_${column}_idx`)
        .on('audit_v1_events')
        .columns([column, 'commit_pos', 'prepare_pos'])
        .execute();
    }
  },
};

const lineageV1: Migration = {
  async up(db: AnyDb) {
    await db.schema
      .createTable('lineage_v1_nodes')
      .addColumn('node_id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('ref_id', 'text', (c) => c.notNull())
      .addColumn('label', 'text')
      .addColumn('first_position', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('lineage_v1_edges')
      .addColumn('edge_id', 'text', (c) => c.primaryKey())
      .addColumn('from_node', 'text', (c) => c.notNull())
      .addColumn('to_node', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('transformation', 'text')
      .addColumn('tool_name', 'text')
      .addColumn('tool_version', 'text')
      .addColumn('detail', 'text')
      .addColumn('event_id', 'text', (c) => c.notNull())
      .addColumn('position', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('lineage_v1_edges_from_idx')
      .on('lineage_v1_edges')
      .column('from_node')
      .execute();
    await db.schema.createIndex('lineage_v1_edges_to_idx').on('lineage_v1_edges').column('to_node').execute();
  },
};

/** All migrations, in order. Names sort in application order; never rename or edit a released one. */
export const READ_MODEL_MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001_projection_infrastructure': infrastructure,
  '0002_catalog_v1': catalogV1,
  '0003_consent_v1': consentV1,
  '0004_audit_v1': auditV1,
  '0005_lineage_v1': lineageV1,
};

export class ReadModelMigrationError extends Error {
  override readonly name = 'ReadModelMigrationError';
}

/** Brings the schema to the latest version (a no-op when it is there). Throws on the first failure. */
export async function migrateReadModels<DB>(db: Kysely<DB>): Promise<MigrationResultSet> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve({ ...READ_MODEL_MIGRATIONS }) },
  });
  const result = await migrator.migrateToLatest();
  if (result.error !== undefined) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new ReadModelMigrationError(`read-model migration ${failed} failed`, { cause: result.error });
  }
  return result;
}

/** Tables of one read-model version (for drops after a blue/green switch and for tests). */
export const READ_MODEL_TABLES = [
  'catalog_v1_objects',
  'catalog_v1_legal_holds',
  'consent_v1_subjects',
  'consent_v1_history',
  'audit_v1_events',
  'lineage_v1_nodes',
  'lineage_v1_edges',
] as const;
