import type { ExpressionBuilder, Selectable } from 'kysely';
import { sql } from 'kysely';
import { decodeCursor, encodeCursor, InvalidCursorError } from './cursor';
import type { ReadModelDb } from './database';
import type { CatalogStatus } from './projections/catalog';
import type { ConsentStatus } from './projections/consent';
import { parseJsonList } from './projections/support';
import {
  toBigInt,
  type AuditEventRow,
  type CatalogObjectRow,
  type ConsentHistoryRow,
  type ConsentSubjectRow,
  type LineageEdgeRow,
  type LineageNodeRow,
  type ReadModelSchema,
} from './schema';

export interface Page<T> {
  readonly items: readonly T[];
  /** Pass back to get the next page; null on the last page. */
  readonly nextCursor: string | null;
}

const MAX_LIMIT = 500;

function checkLimit(limit: number | undefined): number {
  const value = limit ?? 50;
  if (!Number.isInteger(value) || value < 1 || value > MAX_LIMIT) {
    throw new RangeError(`limit must be an integer in 1..${MAX_LIMIT}`);
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Catalog

export interface CatalogEntry {
  readonly objectId: string;
  readonly subjectId: string | null;
  readonly studyKey: string | null;
  readonly seriesKey: string | null;
  readonly site: string | null;
  readonly status: CatalogStatus;
  readonly dataClass: string | null;
  readonly format: string | null;
  readonly modality: string | null;
  readonly sensitivity: string | null;
  readonly phiBearing: boolean | null;
  readonly tier: string | null;
  readonly zone: string | null;
  readonly bucket: string | null;
  readonly locationKey: string | null;
  readonly deidentified: boolean;
  readonly deidentifiedCopyId: string | null;
  readonly derivedFrom: readonly string[];
  readonly activeLegalHolds: number;
  readonly retentionClass: string | null;
  readonly retainUntil: string | null;
  readonly retentionExpired: boolean;
  readonly sizeBytes: number | null;
  /** Residency region from classification (null also on generations built before catalog schema 2). */
  readonly residency: string | null;
  /** `<taxonomy>@<version>` that classified the object. */
  readonly taxonomy: string | null;
  /** The subject's consent (`active`, `restricted`, `revoked`), null when none is on record. */
  readonly consentStatus: string | null;
  readonly consentExpiresAt: string | null;
  /** Uses the object is eligible for under its classification and its subject's consent. */
  readonly eligibleUses: readonly string[];
  readonly ingestedAt: string;
  readonly updatedAt: string;
  readonly lastPosition: string;
}

export interface CatalogFilter {
  readonly status?: CatalogStatus | readonly CatalogStatus[];
  readonly subjectId?: string;
  readonly studyKey?: string;
  readonly seriesKey?: string;
  readonly site?: string;
  readonly dataClass?: string;
  readonly format?: string;
  readonly modality?: string;
  readonly sensitivity?: string;
  readonly tier?: string;
  readonly phiBearing?: boolean;
  readonly deidentified?: boolean;
  readonly underLegalHold?: boolean;
  /** Objects whose classification and subject consent allow this use now (e.g. `RESEARCH`). */
  readonly eligibleFor?: string;
  readonly ingestedFrom?: Date;
  readonly ingestedBefore?: Date;
}

export type CatalogSortField = 'ingestedAt' | 'updatedAt' | 'objectId';
export type SortDirection = 'asc' | 'desc';

export interface CatalogSearch {
  readonly filter?: CatalogFilter;
  /** @defaultValue 'ingestedAt' */
  readonly sort?: CatalogSortField;
  /** @defaultValue 'asc' */
  readonly direction?: SortDirection;
  /** @defaultValue 50 (max 500) */
  readonly limit?: number;
  readonly cursor?: string | null;
}

const SORT_COLUMNS = {
  ingestedAt: 'ingested_at',
  updatedAt: 'updated_at',
  objectId: 'object_id',
} as const satisfies Record<CatalogSortField, keyof CatalogObjectRow>;

/** Consent expiry depends on when one asks (`now`, ISO text), so it is applied at read time. */
function stillEligible(row: Selectable<CatalogObjectRow>, now: string): boolean {
  const expires = row.consent_expires_at ?? null;
  return (row.eligible_uses ?? null) !== null && (expires === null || expires > now);
}

/** `now`: when the read was made (ISO text), the same for every row it returns. */
function toCatalogEntry(row: Selectable<CatalogObjectRow>, now: string): CatalogEntry {
  return {
    objectId: row.object_id,
    subjectId: row.subject_id,
    studyKey: row.study_key,
    seriesKey: row.series_key,
    site: row.site,
    status: row.status as CatalogStatus,
    dataClass: row.data_class,
    format: row.format,
    modality: row.modality,
    sensitivity: row.sensitivity,
    phiBearing: row.phi_bearing === null ? null : row.phi_bearing === 1,
    tier: row.tier,
    zone: row.zone,
    bucket: row.bucket,
    locationKey: row.location_key,
    deidentified: row.deidentified === 1,
    deidentifiedCopyId: row.deidentified_copy_id,
    derivedFrom: row.derived_from === null ? [] : parseJsonList(row.derived_from),
    activeLegalHolds: row.legal_holds,
    retentionClass: row.retention_class,
    retainUntil: row.retain_until,
    retentionExpired: row.retention_expired === 1,
    sizeBytes: row.size_bytes === null ? null : Number(toBigInt(row.size_bytes)),
    // `?? null`: a generation laid out by catalog schema 1 (readable until rebuilt) lacks these columns.
    residency: row.residency ?? null,
    taxonomy: row.taxonomy ?? null,
    consentStatus: row.consent_status ?? null,
    consentExpiresAt: row.consent_expires_at ?? null,
    eligibleUses: stillEligible(row, now) ? parseJsonList(row.eligible_uses) : [],
    ingestedAt: row.ingested_at,
    updatedAt: row.updated_at,
    lastPosition: row.last_position,
  };
}

export async function getCatalogObject(db: ReadModelDb, objectId: string): Promise<CatalogEntry | null> {
  const row = await db
    .selectFrom('catalog_objects')
    .selectAll()
    .where('object_id', '=', objectId)
    .executeTakeFirst();
  return row === undefined ? null : toCatalogEntry(row, new Date().toISOString());
}

/** Filtered, sorted catalog search with keyset pagination on (sort key, objectId). */
export async function searchCatalog(
  db: ReadModelDb,
  search: CatalogSearch = {},
): Promise<Page<CatalogEntry>> {
  const now = new Date().toISOString();
  const sort = search.sort ?? 'ingestedAt';
  const direction = search.direction ?? 'asc';
  const limit = checkLimit(search.limit);
  const column = SORT_COLUMNS[sort];
  const f = search.filter ?? {};
  let query = db.selectFrom('catalog_objects').selectAll();
  if (f.status !== undefined) {
    const statuses: readonly CatalogStatus[] = typeof f.status === 'string' ? [f.status] : f.status;
    if (statuses.length === 0) return { items: [], nextCursor: null };
    query = query.where('status', 'in', statuses);
  }
  if (f.subjectId !== undefined) query = query.where('subject_id', '=', f.subjectId);
  if (f.studyKey !== undefined) query = query.where('study_key', '=', f.studyKey);
  if (f.seriesKey !== undefined) query = query.where('series_key', '=', f.seriesKey);
  if (f.site !== undefined) query = query.where('site', '=', f.site);
  if (f.dataClass !== undefined) query = query.where('data_class', '=', f.dataClass);
  if (f.format !== undefined) query = query.where('format', '=', f.format);
  if (f.modality !== undefined) query = query.where('modality', '=', f.modality);
  if (f.sensitivity !== undefined) query = query.where('sensitivity', '=', f.sensitivity);
  if (f.tier !== undefined) query = query.where('tier', '=', f.tier);
  if (f.phiBearing !== undefined) query = query.where('phi_bearing', '=', f.phiBearing ? 1 : 0);
  if (f.deidentified !== undefined) query = query.where('deidentified', '=', f.deidentified ? 1 : 0);
  if (f.underLegalHold !== undefined) query = query.where('legal_holds', f.underLegalHold ? '>' : '=', 0);
  if (f.eligibleFor !== undefined) {
    if (!/^[A-Z_]+$/.test(f.eligibleFor))
      throw new RangeError('eligibleFor must be an intended use such as RESEARCH');
    query = query
      .where('eligible_uses', 'like', `%"${f.eligibleFor}"%`)
      .where((eb) => eb.or([eb('consent_expires_at', 'is', null), eb('consent_expires_at', '>', now)]));
  }
  if (f.ingestedFrom !== undefined) query = query.where('ingested_at', '>=', f.ingestedFrom.toISOString());
  if (f.ingestedBefore !== undefined) query = query.where('ingested_at', '<', f.ingestedBefore.toISOString());

  if (search.cursor !== undefined && search.cursor !== null) {
    const c = decodeCursor(search.cursor, ['s', 'd', 'v', 'id']);
    if (c.s !== sort || c.d !== direction)
      throw new InvalidCursorError('cursor belongs to another sort order');
    const op = direction === 'asc' ? '>' : '<';
    // A row-value comparison (SQLite ≥ 3.15, PostgreSQL): both seek an index on (…, column,
    // object_id) to the cursor, where the equivalent OR of comparisons makes them scan up to it.
    query = query.where((eb) =>
      column === 'object_id'
        ? eb('object_id', op, c.id)
        : eb(eb.refTuple(column, 'object_id'), op, eb.tuple(c.v, c.id)),
    );
  }
  query = query.orderBy(column, direction);
  if (column !== 'object_id') query = query.orderBy('object_id', direction);
  const rows = await query.limit(limit + 1).execute();
  const items = rows.slice(0, limit).map((row) => toCatalogEntry(row, now));
  const last = rows.length > limit ? rows[limit - 1] : undefined;
  return {
    items,
    nextCursor:
      last === undefined
        ? null
        : encodeCursor({ s: sort, d: direction, v: last[column], id: last.object_id }),
  };
}

// ---------------------------------------------------------------------------------------------
// Consent

export interface ConsentView {
  readonly subjectId: string;
  readonly consentId: string;
  readonly status: ConsentStatus;
  readonly site: string | null;
  readonly formId: string | null;
  readonly formVersion: string | null;
  readonly signatory: string | null;
  readonly permittedUses: readonly string[];
  readonly excludedDataClasses: readonly string[];
  readonly effectiveFrom: string | null;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
  readonly revocationScope: string | null;
  readonly updatedAt: string;
}

export interface ConsentHistoryEntry {
  readonly eventId: string;
  readonly consentId: string;
  readonly eventType: string;
  readonly position: string;
  readonly occurredAt: string;
  readonly actorId: string;
  readonly detail: Readonly<Record<string, unknown>>;
}

export interface SubjectConsent {
  readonly current: ConsentView | null;
  /** Oldest first. */
  readonly history: readonly ConsentHistoryEntry[];
}

function toConsentView(row: Selectable<ConsentSubjectRow>): ConsentView {
  return {
    subjectId: row.subject_id,
    consentId: row.consent_id,
    status: row.status as ConsentStatus,
    site: row.site,
    formId: row.form_id,
    formVersion: row.form_version,
    signatory: row.signatory,
    permittedUses: parseJsonList(row.permitted_uses),
    excludedDataClasses: parseJsonList(row.excluded_classes),
    effectiveFrom: row.effective_from,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    revocationScope: row.revocation_scope,
    updatedAt: row.updated_at,
  };
}

function toHistoryEntry(row: Selectable<ConsentHistoryRow>): ConsentHistoryEntry {
  const detail: unknown = JSON.parse(row.detail);
  return {
    eventId: row.event_id,
    consentId: row.consent_id,
    eventType: row.event_type,
    position: row.position,
    occurredAt: row.occurred_at,
    actorId: row.actor_id,
    detail:
      typeof detail === 'object' && detail !== null ? (detail as Readonly<Record<string, unknown>>) : {},
  };
}

export async function getSubjectConsent(db: ReadModelDb, subjectId: string): Promise<SubjectConsent> {
  const [current, history] = await Promise.all([
    db.selectFrom('consent_subjects').selectAll().where('subject_id', '=', subjectId).executeTakeFirst(),
    db
      .selectFrom('consent_history')
      .selectAll()
      .where('subject_id', '=', subjectId)
      .orderBy('commit_pos')
      .orderBy('prepare_pos')
      .execute(),
  ]);
  return {
    current: current === undefined ? null : toConsentView(current),
    history: history.map(toHistoryEntry),
  };
}

// ---------------------------------------------------------------------------------------------
// Audit

export interface AuditEntry {
  readonly eventId: string;
  readonly position: string;
  readonly streamName: string;
  readonly streamRevision: number;
  readonly eventType: string;
  readonly schemaVersion: number;
  readonly actor: { readonly kind: string; readonly id: string };
  readonly purposeOfUse: string | null;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly correlationId: string;
  readonly causationId: string | null;
  readonly producer: { readonly name: string; readonly version: string };
  readonly objectId: string | null;
  readonly subjectId: string | null;
  readonly datasetId: string | null;
  readonly modelId: string | null;
}

export interface AuditFilter {
  readonly actorId?: string;
  readonly subjectId?: string;
  readonly objectId?: string;
  readonly datasetId?: string;
  readonly modelId?: string;
  readonly eventType?: string;
  /** Inclusive, on occurredAt. */
  readonly from?: Date;
  /** Exclusive, on occurredAt. */
  readonly to?: Date;
}

export interface AuditSearch {
  readonly filter?: AuditFilter;
  /** Log order. @defaultValue 'asc' */
  readonly direction?: SortDirection;
  /** @defaultValue 50 (max 500) */
  readonly limit?: number;
  readonly cursor?: string | null;
}

function toAuditEntry(row: Selectable<AuditEventRow>): AuditEntry {
  return {
    eventId: row.event_id,
    position: row.position,
    streamName: row.stream_name,
    streamRevision: Number(toBigInt(row.stream_revision)),
    eventType: row.event_type,
    schemaVersion: row.schema_version,
    actor: { kind: row.actor_kind, id: row.actor_id },
    purposeOfUse: row.purpose_of_use,
    occurredAt: row.occurred_at,
    recordedAt: row.recorded_at,
    correlationId: row.correlation_id,
    causationId: row.causation_id,
    producer: { name: row.producer_name, version: row.producer_version },
    objectId: row.object_id,
    subjectId: row.subject_id,
    datasetId: row.dataset_id,
    modelId: row.model_id,
  };
}

/** Audit trail search, in log order, keyset-paginated on the global position. */
export async function searchAudit(db: ReadModelDb, search: AuditSearch = {}): Promise<Page<AuditEntry>> {
  const direction = search.direction ?? 'asc';
  const limit = checkLimit(search.limit);
  const f = search.filter ?? {};
  let query = db.selectFrom('audit_events').selectAll();
  if (f.actorId !== undefined) query = query.where('actor_id', '=', f.actorId);
  if (f.subjectId !== undefined) query = query.where('subject_id', '=', f.subjectId);
  if (f.objectId !== undefined) query = query.where('object_id', '=', f.objectId);
  if (f.datasetId !== undefined) query = query.where('dataset_id', '=', f.datasetId);
  if (f.modelId !== undefined) query = query.where('model_id', '=', f.modelId);
  if (f.eventType !== undefined) query = query.where('event_type', '=', f.eventType);
  if (f.from !== undefined) query = query.where('occurred_at', '>=', f.from.toISOString());
  if (f.to !== undefined) query = query.where('occurred_at', '<', f.to.toISOString());
  if (search.cursor !== undefined && search.cursor !== null) {
    const c = decodeCursor(search.cursor, ['d', 'c', 'p']);
    if (c.d !== direction || !/^\d+$/.test(c.c) || !/^\d+$/.test(c.p)) {
      throw new InvalidCursorError('cursor belongs to another query');
    }
    const op = direction === 'asc' ? '>' : '<';
    // A row-value comparison, as searchCatalog's cursor (it seeks the position index to the cursor).
    query = query.where((eb: ExpressionBuilder<ReadModelSchema, 'audit_events'>) =>
      eb(eb.refTuple('commit_pos', 'prepare_pos'), op, eb.tuple(c.c, c.p)),
    );
  }
  const rows = await query
    .orderBy('commit_pos', direction)
    .orderBy('prepare_pos', direction)
    .limit(limit + 1)
    .execute();
  const last = rows.length > limit ? rows[limit - 1] : undefined;
  return {
    items: rows.slice(0, limit).map(toAuditEntry),
    nextCursor:
      last === undefined
        ? null
        : encodeCursor({
            d: direction,
            c: String(toBigInt(last.commit_pos)),
            p: String(toBigInt(last.prepare_pos)),
          }),
  };
}

// ---------------------------------------------------------------------------------------------
// Lineage

export interface LineageNode {
  readonly nodeId: string;
  readonly kind: string;
  readonly refId: string;
  readonly label: string | null;
  /** Hops from the start node (0 for the start node itself). */
  readonly depth: number;
}

export interface LineageEdge {
  readonly edgeId: string;
  readonly from: string;
  readonly to: string;
  readonly kind: string;
  readonly transformation: string | null;
  readonly tool: { readonly name: string; readonly version: string } | null;
  readonly detail: Readonly<Record<string, unknown>> | null;
}

export interface LineageGraph {
  readonly nodes: readonly LineageNode[];
  readonly edges: readonly LineageEdge[];
}

export type LineageDirection = 'upstream' | 'downstream';

const MAX_DEPTH = 50;

function toLineageEdge(row: Selectable<LineageEdgeRow>): LineageEdge {
  const detail: unknown = row.detail === null ? null : JSON.parse(row.detail);
  return {
    edgeId: row.edge_id,
    from: row.from_node,
    to: row.to_node,
    kind: row.kind,
    transformation: row.transformation,
    tool:
      row.tool_name === null || row.tool_version === null
        ? null
        : { name: row.tool_name, version: row.tool_version },
    detail:
      typeof detail === 'object' && detail !== null ? (detail as Readonly<Record<string, unknown>>) : null,
  };
}

/**
 * What a node came from (`upstream`) or what came of it (`downstream`), up to `depth` hops: a
 * recursive CTE over the edge table (same SQL on SQLite and PostgreSQL).
 */
export async function traceLineage(
  db: ReadModelDb,
  nodeId: string,
  direction: LineageDirection,
  depth = 10,
): Promise<LineageGraph> {
  if (!Number.isInteger(depth) || depth < 1 || depth > MAX_DEPTH) {
    throw new RangeError(`depth must be an integer in 1..${MAX_DEPTH}`);
  }
  const near = direction === 'upstream' ? 'to_node' : 'from_node';
  const far = direction === 'upstream' ? 'from_node' : 'to_node';
  const walked = await db
    .withRecursive('walk(edge_id, node_id, depth)', (qb) =>
      qb
        .selectFrom('lineage_edges')
        .select((eb) => ['edge_id', eb.ref(far).as('node_id'), sql<number>`1`.as('depth')])
        .where(near, '=', nodeId)
        .unionAll((qb2) =>
          qb2
            .selectFrom('lineage_edges as e')
            .innerJoin('walk', 'walk.node_id', `e.${near}`)
            .select((eb) => [
              'e.edge_id',
              eb.ref(`e.${far}`).as('node_id'),
              sql<number>`walk.depth + 1`.as('depth'),
            ])
            .where('walk.depth', '<', depth),
        ),
    )
    .selectFrom('walk')
    .select(['edge_id', 'node_id', 'depth'])
    .execute();

  const depths = new Map<string, number>([[nodeId, 0]]);
  const edgeIds = new Set<string>();
  for (const row of walked) {
    const d = Number(row.depth);
    const known = depths.get(row.node_id);
    if (known === undefined || d < known) depths.set(row.node_id, d);
    edgeIds.add(row.edge_id);
  }
  const [nodeRows, edgeRows] = await Promise.all([
    db
      .selectFrom('lineage_nodes')
      .selectAll()
      .where('node_id', 'in', [...depths.keys()])
      .execute(),
    edgeIds.size === 0
      ? Promise.resolve([])
      : db
          .selectFrom('lineage_edges')
          .selectAll()
          .where('edge_id', 'in', [...edgeIds])
          .orderBy('edge_id')
          .execute(),
  ]);
  const nodes = nodeRows
    .map((row: Selectable<LineageNodeRow>) => ({
      nodeId: row.node_id,
      kind: row.kind,
      refId: row.ref_id,
      label: row.label,
      depth: depths.get(row.node_id) ?? 0,
    }))
    .sort((a, b) => a.depth - b.depth || a.nodeId.localeCompare(b.nodeId));
  return { nodes, edges: edgeRows.map(toLineageEdge) };
}
