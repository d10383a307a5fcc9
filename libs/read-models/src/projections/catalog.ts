import type { EventType } from '@medlineage/domain';
import { assertNever } from '@medlineage/kernel';
import type { ExpressionBuilder, Insertable, Updateable } from 'kysely';
import type { ReadModelTransaction } from '../database';
import { isOneOf, type DecodedEvent, type Projection } from '../projection';
import type { CatalogObjectRow, ReadModelSchema } from '../schema';
import { flag, iso, positionColumns } from './support';

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
] as const satisfies readonly EventType[];

/** Catalogue statuses (the data-object aggregate's, plus `derived` for objects made by a transformation). */
export type CatalogStatus =
  'ingested' | 'derived' | 'rejected' | 'classified' | 'under-review' | 'quarantined' | 'disposed';

type ObjectsEb = ExpressionBuilder<ReadModelSchema, 'catalog_v1_objects'>;

/** Only rows last written by an EARLIER position change (idempotent re-application). */
function olderThan(e: DecodedEvent) {
  const commit = String(e.position.commit);
  const prepare = String(e.position.prepare);
  return (eb: ObjectsEb) =>
    eb.or([
      eb('catalog_v1_objects.last_commit', '<', commit),
      eb.and([
        eb('catalog_v1_objects.last_commit', '=', commit),
        eb('catalog_v1_objects.last_prepare', '<', prepare),
      ]),
    ]);
}

async function update(
  trx: ReadModelTransaction,
  e: DecodedEvent,
  objectId: string,
  set: Updateable<CatalogObjectRow>,
): Promise<void> {
  await trx
    .updateTable('catalog_v1_objects')
    .set({ ...set, updated_at: iso(e.metadata.occurredAt), ...positionColumns(e) })
    .where('object_id', '=', objectId)
    .where(olderThan(e))
    .execute();
}

async function refreshHoldCount(trx: ReadModelTransaction, e: DecodedEvent, objectId: string): Promise<void> {
  const { count } = await trx
    .selectFrom('catalog_v1_legal_holds')
    .select((eb) => eb.fn.countAll<number | string | bigint>().as('count'))
    .where('object_id', '=', objectId)
    .executeTakeFirstOrThrow();
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
  await trx
    .insertInto('catalog_v1_objects')
    .values({ ...EMPTY_OBJECT, ...update, ...created, ingested_at: at, updated_at: at, ...position })
    .onConflict((oc) =>
      oc
        .column('object_id')
        .doUpdateSet({ ...update, updated_at: at, ...position })
        .where(olderThan(e)),
    )
    .execute();
}

/** One row per data object: where it is, what it is, and what holds and retention apply. */
export const catalogProjection: Projection = {
  name: 'catalog',
  version: 1,
  eventTypes: CATALOG_EVENT_TYPES,
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
        });
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
        await trx
          .insertInto('catalog_v1_legal_holds')
          .values({ object_id: d.objectId, hold_id: d.holdId, kind: d.kind, placed_at: at })
          .onConflict((oc) => oc.columns(['object_id', 'hold_id']).doNothing())
          .execute();
        await refreshHoldCount(trx, e, d.objectId);
        return;
      }
      case 'LegalHoldReleased': {
        const d = event.data;
        await trx
          .deleteFrom('catalog_v1_legal_holds')
          .where('object_id', '=', d.objectId)
          .where('hold_id', '=', d.holdId)
          .execute();
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
      default:
        assertNever(event, 'catalog event');
    }
  },
};
