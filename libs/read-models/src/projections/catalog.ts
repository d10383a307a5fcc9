import type { EventType } from '@medlineage/domain';
import { assertNever } from '@medlineage/kernel';
import type { ExpressionBuilder, Insertable, Updateable } from 'kysely';
import type { ReadModelTransaction } from '../database';
import { executePrepared } from '../prepared';
import { isOneOf, type DecodedEvent, type Projection, type SchemaDb } from '../projection';
import type { CatalogObjectRow, CatalogSubjectConsentRow, ReadModelSchema } from '../schema';
import { flag, iso, isoOrNull, parseJsonList, positionColumns } from './support';

export const CATALOG_EVENT_TYPES = [
  'ObjectIngested',
  'ObjectRejected',
  'ObjectClassified',
  'ClassificationReviewRequested',
  'ClassificationReviewResolved',
  'ObjectTierChanged',
  'LegalHoldPlaced',
  'LegalHoldReleased',
  'RetentionExpired',
  'ObjectDisposed',
  'ObjectDeidentified',
  'DerivedObjectCreated',
  'SubjectConsentRecorded',
  'SubjectConsentRestricted',
  'SubjectConsentRevoked',
] as const satisfies readonly EventType[];

/** Catalogue statuses (the data-object aggregate's, plus `derived` for objects made by a transformation). */
export type CatalogStatus =
  'ingested' | 'derived' | 'rejected' | 'classified' | 'under-review' | 'quarantined' | 'disposed';

type ObjectsEb = ExpressionBuilder<ReadModelSchema, 'catalog_objects'>;
type ConsentEb = ExpressionBuilder<ReadModelSchema, 'catalog_subject_consent'>;

/** Only rows last written by an EARLIER position than (commit, prepare): idempotent re-application. */
function olderThan(commit: string, prepare: string) {
  return (eb: ObjectsEb) =>
    eb.or([
      eb('catalog_objects.last_commit', '<', commit),
      eb.and([
        eb('catalog_objects.last_commit', '=', commit),
        eb('catalog_objects.last_prepare', '<', prepare),
      ]),
    ]);
}

/** Only consent rows last written by an EARLIER position. */
function consentOlderThan(commit: string, prepare: string) {
  return (eb: ConsentEb) =>
    eb.or([
      eb('catalog_subject_consent.last_commit', '<', commit),
      eb.and([
        eb('catalog_subject_consent.last_commit', '=', commit),
        eb('catalog_subject_consent.last_prepare', '<', prepare),
      ]),
    ]);
}

async function update(
  trx: ReadModelTransaction,
  e: DecodedEvent,
  objectId: string,
  set: Updateable<CatalogObjectRow>,
): Promise<void> {
  const params = {
    set: { ...set, updated_at: iso(e.metadata.occurredAt), ...positionColumns(e) },
    object_id: objectId,
  };
  await executePrepared(trx, `catalog.update:${Object.keys(set).join()}`, params, (p) =>
    trx
      .updateTable('catalog_objects')
      .set(p.set)
      .where('object_id', '=', p.object_id)
      .where(olderThan(p.set.last_commit, p.set.last_prepare)),
  );
}

async function refreshHoldCount(trx: ReadModelTransaction, e: DecodedEvent, objectId: string): Promise<void> {
  const { rows } = await executePrepared(trx, 'catalog.holdCount', { object_id: objectId }, (p) =>
    trx
      .selectFrom('catalog_legal_holds')
      .select((eb) => eb.fn.countAll<number | string | bigint>().as('count'))
      .where('object_id', '=', p.object_id),
  );
  const count = rows[0]?.count;
  if (count === undefined) throw new Error('count(*) returned no row');
  await update(trx, e, objectId, { legal_holds: Number(count) });
}

/** Columns of an object row nothing has filled in yet. */
const EMPTY_OBJECT: Omit<
  Insertable<CatalogObjectRow>,
  'object_id' | 'status' | 'ingested_at' | 'updated_at' | 'last_position' | 'last_commit' | 'last_prepare'
> = {
  subject_id: null,
  study_key: null,
  series_key: null,
  site: null,
  data_class: null,
  format: null,
  modality: null,
  sensitivity: null,
  phi_bearing: null,
  tier: null,
  zone: null,
  bucket: null,
  location_key: null,
  deidentified: 0,
  deidentified_copy_id: null,
  derived_from: null,
  legal_holds: 0,
  retention_class: null,
  retain_until: null,
  retention_expired: 0,
  size_bytes: null,
  residency: null,
  taxonomy: null,
  classified_uses: '[]',
  consent_status: null,
  consent_expires_at: null,
  eligible_uses: '[]',
};

/**
 * Creates an object's row (`created` + `update` over empty columns), or — when the row exists
 * (redelivery, or events seen out of the usual order) — applies `update` unless a later position
 * already wrote it.
 */
async function upsertObject(
  trx: ReadModelTransaction,
  e: DecodedEvent,
  created: Pick<Insertable<CatalogObjectRow>, 'object_id' | 'status'> & Updateable<CatalogObjectRow>,
  update: Updateable<CatalogObjectRow>,
): Promise<void> {
  const at = iso(e.metadata.occurredAt);
  const position = positionColumns(e);
  const params = {
    row: { ...EMPTY_OBJECT, ...update, ...created, ingested_at: at, updated_at: at, ...position },
    set: { ...update, updated_at: at, ...position },
  };
  const shape = `catalog.upsert:${Object.keys(created).join()}:${Object.keys(update).join()}`;
  await executePrepared(trx, shape, params, (p) =>
    trx
      .insertInto('catalog_objects')
      .values(p.row)
      .onConflict((oc) =>
        oc.column('object_id').doUpdateSet(p.set).where(olderThan(p.set.last_commit, p.set.last_prepare)),
      ),
  );
}

type SubjectConsent = Pick<
  CatalogSubjectConsentRow,
  'status' | 'permitted_uses' | 'excluded_classes' | 'expires_at'
>;

/**
 * What an object may be used for, as far as stored facts go: the uses its classification allows,
 * narrowed to what the subject's consent permits (consent is opt-in: none, revoked or excluding the
 * object's class → nothing). A restriction keeps consent in force with fewer uses, as in the
 * subject-consent decider. Expiry depends on when one asks, so it is kept beside and checked by queries.
 */
export function eligibleUses(
  classifiedUses: readonly string[],
  dataClass: string | null,
  consent: SubjectConsent | undefined,
): string[] {
  if (consent === undefined || (consent.status !== 'active' && consent.status !== 'restricted')) return [];
  if (dataClass !== null && parseJsonList(consent.excluded_classes).includes(dataClass)) return [];
  const permitted = new Set(parseJsonList(consent.permitted_uses));
  return classifiedUses.filter((use) => permitted.has(use));
}

function consentColumns(consent: SubjectConsent | undefined) {
  return { consent_status: consent?.status ?? null, consent_expires_at: consent?.expires_at ?? null };
}

async function subjectConsent(
  trx: ReadModelTransaction,
  subjectId: string | null,
): Promise<SubjectConsent | undefined> {
  if (subjectId === null) return undefined;
  const { rows } = await executePrepared(trx, 'catalog.subjectConsent', { subject_id: subjectId }, (p) =>
    trx
      .selectFrom('catalog_subject_consent')
      .select(['status', 'permitted_uses', 'excluded_classes', 'expires_at'])
      .where('subject_id', '=', p.subject_id),
  );
  return rows[0];
}

/** Sets an object's consent columns (no position change: they follow from stored columns). */
async function setEligibility(
  trx: ReadModelTransaction,
  objectId: string,
  consent: SubjectConsent | undefined,
  eligible: readonly string[],
): Promise<void> {
  const params = {
    set: { ...consentColumns(consent), eligible_uses: JSON.stringify(eligible) },
    object_id: objectId,
  };
  await executePrepared(trx, 'catalog.eligibility', params, (p) =>
    trx.updateTable('catalog_objects').set(p.set).where('object_id', '=', p.object_id),
  );
}

/** Recomputes consent columns of one object from its stored classification and its subject's consent. */
async function refreshEligibility(trx: ReadModelTransaction, objectId: string): Promise<void> {
  const { rows } = await executePrepared(trx, 'catalog.classification', { object_id: objectId }, (p) =>
    trx
      .selectFrom('catalog_objects')
      .select(['subject_id', 'data_class', 'classified_uses'])
      .where('object_id', '=', p.object_id),
  );
  const row = rows[0];
  if (row === undefined) return;
  const consent = await subjectConsent(trx, row.subject_id);
  await setEligibility(
    trx,
    objectId,
    consent,
    eligibleUses(parseJsonList(row.classified_uses), row.data_class, consent),
  );
}

/**
 * A consent event changes the catalog's copy of the subject's consent, then the eligibility of every
 * object of that subject. Eligibility is a function of stored columns only, so recomputing it does
 * not move the objects' position columns.
 */
async function applyConsent(
  trx: ReadModelTransaction,
  e: DecodedEvent,
  subjectId: string,
  change: (current: SubjectConsent | undefined) => SubjectConsent | undefined,
): Promise<void> {
  const current = await subjectConsent(trx, subjectId);
  const next = change(current);
  if (next === undefined) return;
  const position = { last_commit: String(e.position.commit), last_prepare: String(e.position.prepare) };
  const params = { row: { subject_id: subjectId, ...next, ...position }, set: { ...next, ...position } };
  const written = await executePrepared(trx, `catalog.consent:${Object.keys(next).join()}`, params, (p) =>
    trx
      .insertInto('catalog_subject_consent')
      .values(p.row)
      .onConflict((oc) =>
        oc
          .column('subject_id')
          .doUpdateSet(p.set)
          .where(consentOlderThan(p.set.last_commit, p.set.last_prepare)),
      ),
  );
  if ((written.numAffectedRows ?? 0n) === 0n) return;
  const { rows: objects } = await executePrepared(
    trx,
    'catalog.subjectObjects',
    { subject_id: subjectId },
    (p) =>
      trx
        .selectFrom('catalog_objects')
        .select(['object_id', 'data_class', 'classified_uses'])
        .where('subject_id', '=', p.subject_id),
  );
  for (const o of objects) {
    await setEligibility(
      trx,
      o.object_id,
      next,
      eligibleUses(parseJsonList(o.classified_uses), o.data_class, next),
    );
  }
}

/** Generation `g`'s tables (`catalog_v<g>_…`), empty: schema 2 (schema 1 is migration 0002). */
async function createTables(db: SchemaDb, g: number): Promise<void> {
  const objects = `catalog_v${g}_objects`;
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
  // Filter columns carry the default sort key (ingested_at, object_id) after them, so a filtered
  // search reads its page in order from the index, and a cursor seeks to it, instead of sorting
  // every match (hundreds of thousands for a status or a modality) to keep 50.
  const indexed = [
    ['subject_id', 'ingested_at', 'object_id'],
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
      .on(objects)
      .columns([...columns])
      .execute();
  }
  await db.schema
    .createTable(`catalog_v${g}_legal_holds`)
    .addColumn('object_id', 'text', (c) => c.notNull())
    .addColumn('hold_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('placed_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint(`catalog_v${g}_legal_holds_pk`, ['object_id', 'hold_id'])
    .execute();
  await db.schema
    .createTable(`catalog_v${g}_subject_consent`)
    .addColumn('subject_id', 'text', (c) => c.primaryKey())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('permitted_uses', 'text', (c) => c.notNull())
    .addColumn('excluded_classes', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text')
    .addColumn('last_commit', 'bigint', (c) => c.notNull())
    .addColumn('last_prepare', 'bigint', (c) => c.notNull())
    .execute();
}

/**
 * One row per data object: where it is, what it is, what holds and retention apply, and which uses
 * its subject's consent makes it eligible for. Schema 2 added residency, taxonomy and consent
 * eligibility (a rebuild fills them from all events, upcasting ObjectClassified v1's free-text residency).
 */
export const catalogProjection: Projection = {
  name: 'catalog',
  schemaVersion: 2,
  eventTypes: CATALOG_EVENT_TYPES,
  createTables,
  async apply(trx, e) {
    const { event } = e;
    if (!isOneOf(event, CATALOG_EVENT_TYPES)) return;
    const at = iso(e.metadata.occurredAt);
    switch (event.type) {
      case 'ObjectIngested': {
        const d = event.data;
        const ingest = {
          subject_id: d.subjectId,
          study_key: d.studyKey,
          site: d.site,
          tier: d.storageTier,
          zone: d.location.zone,
          bucket: d.location.bucket,
          location_key: d.location.key,
          size_bytes: String(d.sizeBytes),
        };
        await upsertObject(trx, e, { object_id: d.objectId, status: 'ingested' }, ingest);
        await refreshEligibility(trx, d.objectId);
        return;
      }
      case 'ObjectRejected': {
        const d = event.data;
        const where = {
          zone: d.quarantine?.zone ?? null,
          bucket: d.quarantine?.bucket ?? null,
          location_key: d.quarantine?.key ?? null,
        };
        await upsertObject(
          trx,
          e,
          { object_id: d.objectId, status: 'rejected', site: d.site },
          { status: 'rejected', ...where },
        );
        return;
      }
      case 'DerivedObjectCreated': {
        const d = event.data;
        // A derivative of one subject stays attributable (pseudonymously); aggregates of many do not.
        const subjectId = d.subjectIds.length === 1 ? (d.subjectIds[0] ?? null) : null;
        const derived = {
          subject_id: subjectId,
          tier: d.storageTier,
          zone: d.location.zone,
          bucket: d.location.bucket,
          location_key: d.location.key,
          size_bytes: String(d.sizeBytes),
          derived_from: JSON.stringify(d.derivedFrom),
          deidentified: flag(d.transformation === 'DEIDENTIFICATION' || d.location.zone === 'DEIDENTIFIED'),
        };
        await upsertObject(trx, e, { object_id: d.objectId, status: 'derived' }, derived);
        await refreshEligibility(trx, d.objectId);
        return;
      }
      case 'ObjectClassified': {
        const d = event.data;
        await update(trx, e, d.objectId, {
          status: 'classified' satisfies CatalogStatus,
          data_class: d.dataClass,
          format: d.format,
          modality: d.modality,
          series_key: d.dicom?.seriesKey ?? null,
          sensitivity: d.sensitivity,
          phi_bearing: flag(d.phiBearing),
          retention_class: d.retentionClass,
          retain_until: iso(d.retainUntil),
          retention_expired: 0,
          residency: d.residency,
          taxonomy: `${d.taxonomy.id}@${d.taxonomy.version}`,
          classified_uses: JSON.stringify(d.eligibleUses),
        });
        await refreshEligibility(trx, d.objectId);
        return;
      }
      case 'ClassificationReviewRequested':
        await update(trx, e, event.data.objectId, { status: 'under-review' satisfies CatalogStatus });
        return;
      case 'ClassificationReviewResolved':
        // CLASSIFIED is followed by ObjectClassified in the same decision, which sets the status.
        await update(
          trx,
          e,
          event.data.objectId,
          event.data.outcome === 'QUARANTINED' ? { status: 'quarantined' satisfies CatalogStatus } : {},
        );
        return;
      case 'ObjectTierChanged': {
        const d = event.data;
        await update(trx, e, d.objectId, {
          tier: d.toTier,
          zone: d.to.zone,
          bucket: d.to.bucket,
          location_key: d.to.key,
        });
        return;
      }
      case 'LegalHoldPlaced': {
        const d = event.data;
        const hold = { object_id: d.objectId, hold_id: d.holdId, kind: d.kind, placed_at: at };
        await executePrepared(trx, 'catalog.placeHold', hold, (p) =>
          trx
            .insertInto('catalog_legal_holds')
            .values(p)
            .onConflict((oc) => oc.columns(['object_id', 'hold_id']).doNothing()),
        );
        await refreshHoldCount(trx, e, d.objectId);
        return;
      }
      case 'LegalHoldReleased': {
        const d = event.data;
        const hold = { object_id: d.objectId, hold_id: d.holdId };
        await executePrepared(trx, 'catalog.releaseHold', hold, (p) =>
          trx
            .deleteFrom('catalog_legal_holds')
            .where('object_id', '=', p.object_id)
            .where('hold_id', '=', p.hold_id),
        );
        await refreshHoldCount(trx, e, d.objectId);
        return;
      }
      case 'RetentionExpired': {
        const d = event.data;
        await update(trx, e, d.objectId, {
          retention_class: d.retentionClass,
          retain_until: iso(d.retainUntil),
          retention_expired: 1,
        });
        return;
      }
      case 'ObjectDisposed':
        await update(trx, e, event.data.objectId, { status: 'disposed' satisfies CatalogStatus });
        return;
      case 'ObjectDeidentified': {
        const d = event.data;
        await update(trx, e, d.objectId, { deidentified_copy_id: d.derivedObjectId });
        await update(trx, e, d.derivedObjectId, { deidentified: 1 });
        return;
      }
      case 'SubjectConsentRecorded': {
        const d = event.data;
        await applyConsent(trx, e, d.subjectId, () => ({
          status: 'active',
          permitted_uses: JSON.stringify(d.permittedUses),
          excluded_classes: JSON.stringify(d.excludedDataClasses),
          expires_at: isoOrNull(d.expiresAt),
        }));
        return;
      }
      case 'SubjectConsentRestricted': {
        const d = event.data;
        await applyConsent(trx, e, d.subjectId, (current) => {
          if (current === undefined) return undefined;
          const removed = new Set<string>(d.removedUses);
          return {
            ...current,
            status: current.status === 'revoked' ? 'revoked' : 'restricted',
            permitted_uses: JSON.stringify(
              parseJsonList(current.permitted_uses).filter((u) => !removed.has(u)),
            ),
            excluded_classes: JSON.stringify([
              ...new Set([...parseJsonList(current.excluded_classes), ...d.newlyExcludedDataClasses]),
            ]),
          };
        });
        return;
      }
      case 'SubjectConsentRevoked':
        await applyConsent(trx, e, event.data.subjectId, (current) =>
          current === undefined ? undefined : { ...current, status: 'revoked', permitted_uses: '[]' },
        );
        return;
      default:
        assertNever(event, 'catalog event');
    }
  },
};
