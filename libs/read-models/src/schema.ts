import type { ColumnType } from 'kysely';

/*
 * Row types of every read-model table, as Kysely sees them. Portable across SQLite and PostgreSQL:
 * timestamps are ISO-8601 UTC text (sorts chronologically), flags are 0/1 integers, lists are JSON
 * text, and 64-bit numbers (log positions, sizes, counters) are written as decimal strings and read
 * back as whatever the driver returns (number from better-sqlite3, string from pg) — see `toBigInt`.
 */

/** A 64-bit integer column: written as a decimal string, read as number | string | bigint. */
export type Int64 = ColumnType<number | string | bigint, string, string>;

export interface ProjectionCheckpointTable {
  projection: string;
  version: number;
  /** `formatPosition` text, or `'start'` before the first event. */
  position: string;
  events_applied: Int64;
  updated_at: string;
}

export interface ProjectionActiveVersionTable {
  projection: string;
  version: number;
  activated_at: string;
}

export interface CatalogObjectRow {
  object_id: string;
  subject_id: string | null;
  study_key: string | null;
  series_key: string | null;
  site: string | null;
  status: string;
  data_class: string | null;
  format: string | null;
  modality: string | null;
  sensitivity: string | null;
  phi_bearing: number | null;
  tier: string | null;
  zone: string | null;
  bucket: string | null;
  location_key: string | null;
  /** 1 when the object itself is a de-identified derivative. */
  deidentified: number;
  /** Id of the de-identified copy made from this object, when one exists. */
  deidentified_copy_id: string | null;
  /** JSON array of source object ids (derived objects only). */
  derived_from: string | null;
  legal_holds: number;
  retention_class: string | null;
  retain_until: string | null;
  retention_expired: number;
  size_bytes: Int64 | null;
  /** Residency region the classification assigned (schema 2). */
  residency: string | null;
  /** `<taxonomy id>@<version>` that classified the object (schema 2). */
  taxonomy: string | null;
  /** JSON array of IntendedUse the classification allows for this kind of data (schema 2). */
  classified_uses: string;
  /** The subject's consent status (`active`, `restricted`, `revoked`), null when none is on record (schema 2). */
  consent_status: string | null;
  consent_expires_at: string | null;
  /**
   * JSON array of IntendedUse this object may serve now: classified uses ∩ the subject's permitted
   * uses, empty unless consent is active and does not exclude the object's class (schema 2).
   * Expiry is time-dependent, so queries also check `consent_expires_at`.
   */
  eligible_uses: string;
  ingested_at: string;
  updated_at: string;
  last_position: string;
  last_commit: Int64;
  last_prepare: Int64;
}

export interface CatalogLegalHoldRow {
  object_id: string;
  hold_id: string;
  kind: string;
  placed_at: string;
}

/** The catalog's own copy of each subject's consent (a projection reads only its own tables). */
export interface CatalogSubjectConsentRow {
  subject_id: string;
  status: string;
  permitted_uses: string;
  excluded_classes: string;
  expires_at: string | null;
  last_commit: Int64;
  last_prepare: Int64;
}

/**
 * A link history follows that no stream holds (catalog schema 3): an object ingested for a study or
 * a subject, or derived from another object, and the event that established it.
 */
export interface CatalogLinkRow {
  /** `study`, `subject` or `derived-from`. */
  link_kind: string;
  /** The study key, the pseudonymous subject id, or the source object id. */
  link_key: string;
  commit_pos: Int64;
  prepare_pos: Int64;
  object_id: string;
  /** Envelope `recordedAt` of the establishing event (ISO), for "as of" queries. */
  recorded_at: string;
}

export interface ConsentSubjectRow {
  subject_id: string;
  consent_id: string;
  status: string;
  site: string | null;
  form_id: string | null;
  form_version: string | null;
  signatory: string | null;
  /** JSON array of IntendedUse. */
  permitted_uses: string;
  /** JSON array of DataClass. */
  excluded_classes: string;
  effective_from: string | null;
  expires_at: string | null;
  revoked_at: string | null;
  revocation_scope: string | null;
  updated_at: string;
  last_position: string;
  last_commit: Int64;
  last_prepare: Int64;
}

export interface ConsentHistoryRow {
  event_id: string;
  subject_id: string;
  consent_id: string;
  event_type: string;
  position: string;
  commit_pos: Int64;
  prepare_pos: Int64;
  occurred_at: string;
  actor_id: string;
  /** JSON of the event's non-identifying facts (uses, classes, scope, dates). */
  detail: string;
}

export interface AuditEventRow {
  event_id: string;
  position: string;
  commit_pos: Int64;
  prepare_pos: Int64;
  stream_name: string;
  stream_revision: Int64;
  event_type: string;
  schema_version: number;
  actor_kind: string;
  actor_id: string;
  purpose_of_use: string | null;
  occurred_at: string;
  recorded_at: string;
  correlation_id: string;
  causation_id: string | null;
  producer_name: string;
  producer_version: string;
  object_id: string | null;
  subject_id: string | null;
  dataset_id: string | null;
  model_id: string | null;
}

export interface LineageNodeRow {
  node_id: string;
  kind: string;
  ref_id: string;
  label: string | null;
  first_position: string;
}

export interface LineageEdgeRow {
  edge_id: string;
  from_node: string;
  to_node: string;
  kind: string;
  transformation: string | null;
  tool_name: string | null;
  tool_version: string | null;
  detail: string | null;
  event_id: string;
  position: string;
}

export interface ProjectionGenerationTable {
  projection: string;
  generation: number;
  schema_version: number;
  created_at: string;
}

/**
 * Tables as code names them. Read-model tables are LOGICAL names: each generation has its own
 * physical copy (`catalog_objects` → `catalog_v2_objects`), see generations.ts.
 */
export interface ReadModelSchema {
  projection_checkpoints: ProjectionCheckpointTable;
  projection_active_version: ProjectionActiveVersionTable;
  projection_generations: ProjectionGenerationTable;
  catalog_objects: CatalogObjectRow;
  catalog_legal_holds: CatalogLegalHoldRow;
  catalog_subject_consent: CatalogSubjectConsentRow;
  catalog_links: CatalogLinkRow;
  consent_subjects: ConsentSubjectRow;
  consent_history: ConsentHistoryRow;
  audit_events: AuditEventRow;
  lineage_nodes: LineageNodeRow;
  lineage_edges: LineageEdgeRow;
}

/** Normalises a 64-bit column value from either driver. */
export function toBigInt(value: number | string | bigint): bigint {
  return typeof value === 'bigint' ? value : BigInt(value);
}
