import { Migrator, PostgresAdapter, sql, type Kysely, type Migration, type MigrationResultSet } from 'kysely';
import { consentProjection } from './projections/consent';
import { lineageProjection } from './projections/lineage';

/*
 * Versioned migrations, in code (no files to ship). Every read-model VERSION owns its tables
 * (`<model>_v<N>_…`); a blue/green rebuild creates the next generation's tables at runtime
 * (`createGeneration`, generation-registry.ts) beside the live ones and switches
 * `projection_active_version` once it has caught up. Migrations never change a released one.
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

// Generation 1 of consent and lineage is their projection's current DDL (schema 1). Before such a
// projection's schema changes, copy its DDL here literally, as 0002 and 0004 show for the catalog
// and the audit trail: a released migration must keep producing what it released.
const consentV1: Migration = {
  async up(db: AnyDb) {
    await consentProjection.createTables(db, 1);
    await consentProjection.createQueryIndexes(db, 1);
  },
};

/** The audit trail's schema 1 (keyed by event id); schema 2 is `auditProjection.createTables`. */
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
    await lineageProjection.createTables(db, 1);
    await lineageProjection.createQueryIndexes(db, 1);
  },
};

/**
 * Which generations exist and which schema version of their projection built them (so a build
 * never feeds tables laid out by other code). Generation 1 of each read model came from 0002–0005.
 */
const generationRegistry: Migration = {
  async up(db: AnyDb) {
    await db.schema
      .createTable('projection_generations')
      .addColumn('projection', 'text', (c) => c.notNull())
      .addColumn('generation', 'integer', (c) => c.notNull())
      .addColumn('schema_version', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('projection_generations_pk', ['projection', 'generation'])
      .execute();
    const createdAt = new Date().toISOString();
    for (const projection of ['catalog', 'consent', 'audit', 'lineage']) {
      await sql`insert into projection_generations (projection, generation, schema_version, created_at)
                values (${projection}, 1, 1, ${createdAt})`.execute(db);
    }
  },
};

/** All migrations, in order. Names sort in application order; never rename or edit a released one. */
export const READ_MODEL_MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001_projection_infrastructure': infrastructure,
  '0002_catalog_v1': catalogV1,
  '0003_consent_v1': consentV1,
  '0004_audit_v1': auditV1,
  '0005_lineage_v1': lineageV1,
  '0006_projection_generations': generationRegistry,
};

export class ReadModelMigrationError extends Error {
  override readonly name = 'ReadModelMigrationError';
}

/** Brings the schema to the latest version (a no-op when it is there). Throws on the first failure. */
export async function migrateReadModels<DB>(db: Kysely<DB>): Promise<MigrationResultSet> {
  // On PostgreSQL, Kysely looks for its bookkeeping tables in ANY schema unless told which one, so
  // another schema's (a parallel test's, another tenant's) would be taken for ours.
  const schema =
    db.getExecutor().adapter instanceof PostgresAdapter
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema
      : undefined;
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve({ ...READ_MODEL_MIGRATIONS }) },
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
  });
  const result = await migrator.migrateToLatest();
  if (result.error !== undefined) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new ReadModelMigrationError(`read-model migration ${failed} failed`, { cause: result.error });
  }
  return result;
}
