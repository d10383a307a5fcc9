import { physicalTable } from '../generations';
import type { SchemaDb } from '../projection';

/** Generation `g`'s tables (`catalog_v<g>_…`), empty: schema 3 (schema 1 is migration 0002). */
export async function createCatalogTables(db: SchemaDb, g: number): Promise<void> {
  const objects = physicalTable('catalog_objects', g);
  const holds = physicalTable('catalog_legal_holds', g);
  const consent = physicalTable('catalog_subject_consent', g);
  const links = physicalTable('catalog_links', g);
  await db.schema
    .createTable(objects)
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
    .addColumn('residency', 'text')
    .addColumn('taxonomy', 'text')
    .addColumn('classified_uses', 'text', (c) => c.notNull())
    .addColumn('consent_status', 'text')
    .addColumn('consent_expires_at', 'text')
    .addColumn('eligible_uses', 'text', (c) => c.notNull())
    .addColumn('ingested_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('last_position', 'text', (c) => c.notNull())
    .addColumn('last_commit', 'bigint', (c) => c.notNull())
    .addColumn('last_prepare', 'bigint', (c) => c.notNull())
    .execute();
  // A consent change re-evaluates every object of its subject, so the projection itself finds
  // objects by subject; search uses the same index.
  await db.schema
    .createIndex(`${objects}_subject_id_idx`)
    .on(objects)
    .columns(['subject_id', 'ingested_at', 'object_id'])
    .execute();
  await db.schema
    .createTable(holds)
    .addColumn('object_id', 'text', (c) => c.notNull())
    .addColumn('hold_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('placed_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint(`${holds}_pk`, ['object_id', 'hold_id'])
    .execute();
  await db.schema
    .createTable(consent)
    .addColumn('subject_id', 'text', (c) => c.primaryKey())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('permitted_uses', 'text', (c) => c.notNull())
    .addColumn('excluded_classes', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text')
    .addColumn('last_commit', 'bigint', (c) => c.notNull())
    .addColumn('last_prepare', 'bigint', (c) => c.notNull())
    .execute();
  // Keyed by log position, so a rebuild appends at the right edge (history's lookups use the
  // query index below).
  await db.schema
    .createTable(links)
    .addColumn('link_kind', 'text', (c) => c.notNull())
    .addColumn('link_key', 'text', (c) => c.notNull())
    .addColumn('commit_pos', 'bigint', (c) => c.notNull())
    .addColumn('prepare_pos', 'bigint', (c) => c.notNull())
    .addColumn('object_id', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint(`${links}_pk`, [
      'commit_pos',
      'prepare_pos',
      'link_kind',
      'link_key',
      'object_id',
    ])
    .execute();
}

/**
 * Search filters carry the default sort key (ingested_at, object_id) after them, so a filtered
 * search reads its page in order from the index, and a cursor seeks to it, instead of sorting every
 * match (hundreds of thousands for a status or a modality) to keep 50.
 */
export async function createCatalogQueryIndexes(db: SchemaDb, g: number): Promise<void> {
  const objects = physicalTable('catalog_objects', g);
  const links = physicalTable('catalog_links', g);
  const indexed = [
    ['study_key', 'ingested_at', 'object_id'],
    ['status', 'ingested_at', 'object_id'],
    ['data_class', 'ingested_at', 'object_id'],
    ['modality', 'ingested_at', 'object_id'],
    ['ingested_at', 'object_id'],
    ['updated_at', 'object_id'],
  ] as const;
  for (const columns of indexed) {
    await db.schema
      .createIndex(`${objects}_${columns[0]}_idx`)
      .ifNotExists()
      .on(objects)
      .columns([...columns])
      .execute();
  }
  // History's lookups: one key's links in log order.
  await db.schema
    .createIndex(`${links}_key_idx`)
    .ifNotExists()
    .on(links)
    .columns(['link_kind', 'link_key', 'commit_pos', 'prepare_pos'])
    .execute();
}
