import type { EventType } from '@medlineage/domain';
import { assertNever } from '@medlineage/kernel';
import type { ReadModelTransaction } from '../database';
import { executePrepared } from '../prepared';
import { isOneOf, type DecodedEvent, type Projection, type ProjectionBatch } from '../projection';
import { createCatalogQueryIndexes, createCatalogTables } from './catalog-tables';
import { CatalogRows, EMPTY_OBJECT, precedes, type ConsentValues, type ObjectValues } from './catalog-rows';
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

type SubjectConsent = Pick<ConsentValues, 'status' | 'permitted_uses' | 'excluded_classes' | 'expires_at'>;

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

/**
 * Links history follows from an entity to objects (see `CatalogLinkIndex`): a study's and a subject's
 * objects, and an object's derivatives (`derived-from` keyed by the source).
 */
export type LinkKind = 'study' | 'subject' | 'derived-from';

/** Changes to apply to a row (any columns but its key). */
type ObjectChange = Partial<Omit<ObjectValues, 'object_id'>>;

/** One projector transaction's worth of catalog changes (rows held in memory, see catalog-rows.ts). */
class CatalogBatch implements ProjectionBatch {
  private readonly rows: CatalogRows;

  constructor(private readonly trx: ReadModelTransaction) {
    this.rows = new CatalogRows(trx);
  }

  end(): Promise<void> {
    return this.rows.write();
  }

  prefetch(events: readonly DecodedEvent[]): Promise<void> {
    const objects: string[] = [];
    const subjects: string[] = [];
    for (const { event } of events) {
      const data: object = event.data;
      for (const key of ['objectId', 'derivedObjectId', 'subjectId']) {
        const id = (data as Readonly<Record<string, unknown>>)[key];
        if (typeof id === 'string') (key === 'subjectId' ? subjects : objects).push(id);
      }
    }
    return this.rows.prefetch(objects, subjects);
  }

  async apply(e: DecodedEvent): Promise<void> {
    const { event } = e;
    if (!isOneOf(event, CATALOG_EVENT_TYPES)) return;
    const at = e.occurredAt;
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
        await this.upsert(e, { object_id: d.objectId, status: 'ingested' }, ingest);
        await this.refreshEligibility(d.objectId);
        if (d.studyKey !== null) this.link(e, 'study', d.studyKey, d.objectId);
        if (d.subjectId !== null) this.link(e, 'subject', d.subjectId, d.objectId);
        return;
      }
      case 'ObjectRejected': {
        const d = event.data;
        const where = {
          zone: d.quarantine?.zone ?? null,
          bucket: d.quarantine?.bucket ?? null,
          location_key: d.quarantine?.key ?? null,
        };
        await this.upsert(
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
        await this.upsert(e, { object_id: d.objectId, status: 'derived' }, derived);
        await this.refreshEligibility(d.objectId);
        for (const source of new Set(d.derivedFrom)) this.link(e, 'derived-from', source, d.objectId);
        for (const subject of new Set(d.subjectIds)) this.link(e, 'subject', subject, d.objectId);
        return;
      }
      case 'ObjectClassified': {
        const d = event.data;
        await this.update(e, d.objectId, {
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
        await this.refreshEligibility(d.objectId);
        return;
      }
      case 'ClassificationReviewRequested':
        await this.update(e, event.data.objectId, { status: 'under-review' satisfies CatalogStatus });
        return;
      case 'ClassificationReviewResolved':
        // CLASSIFIED is followed by ObjectClassified in the same decision, which sets the status.
        await this.update(
          e,
          event.data.objectId,
          event.data.outcome === 'QUARANTINED' ? { status: 'quarantined' satisfies CatalogStatus } : {},
        );
        return;
      case 'ObjectTierChanged': {
        const d = event.data;
        await this.update(e, d.objectId, {
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
        const { trx } = this;
        await executePrepared(trx, 'catalog.placeHold', hold, (p) =>
          trx
            .insertInto('catalog_legal_holds')
            .values(p)
            .onConflict((oc) => oc.columns(['object_id', 'hold_id']).doNothing()),
        );
        await this.refreshHoldCount(e, d.objectId);
        return;
      }
      case 'LegalHoldReleased': {
        const d = event.data;
        const hold = { object_id: d.objectId, hold_id: d.holdId };
        const { trx } = this;
        await executePrepared(trx, 'catalog.releaseHold', hold, (p) =>
          trx
            .deleteFrom('catalog_legal_holds')
            .where('object_id', '=', p.object_id)
            .where('hold_id', '=', p.hold_id),
        );
        await this.refreshHoldCount(e, d.objectId);
        return;
      }
      case 'RetentionExpired': {
        const d = event.data;
        await this.update(e, d.objectId, {
          retention_class: d.retentionClass,
          retain_until: iso(d.retainUntil),
          retention_expired: 1,
        });
        return;
      }
      case 'ObjectDisposed':
        await this.update(e, event.data.objectId, { status: 'disposed' satisfies CatalogStatus });
        return;
      case 'ObjectDeidentified': {
        const d = event.data;
        await this.update(e, d.objectId, { deidentified_copy_id: d.derivedObjectId });
        await this.update(e, d.derivedObjectId, { deidentified: 1 });
        return;
      }
      case 'SubjectConsentRecorded': {
        const d = event.data;
        await this.applyConsent(e, d.subjectId, () => ({
          status: 'active',
          permitted_uses: JSON.stringify(d.permittedUses),
          excluded_classes: JSON.stringify(d.excludedDataClasses),
          expires_at: isoOrNull(d.expiresAt),
        }));
        return;
      }
      case 'SubjectConsentRestricted': {
        const d = event.data;
        await this.applyConsent(e, d.subjectId, (current) => {
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
        await this.applyConsent(e, event.data.subjectId, (current) =>
          current === undefined ? undefined : { ...current, status: 'revoked', permitted_uses: '[]' },
        );
        return;
      default:
        assertNever(event, 'catalog event');
    }
  }

  private link(e: DecodedEvent, kind: LinkKind, key: string, objectId: string): void {
    this.rows.link({
      link_kind: kind,
      link_key: key,
      commit_pos: String(e.position.commit),
      prepare_pos: String(e.position.prepare),
      object_id: objectId,
      recorded_at: e.metadata.recordedAt.toISOString(),
    });
  }

  /** Applies `set` to an object's row unless the row is missing or a later position already wrote it. */
  private async update(e: DecodedEvent, objectId: string, set: ObjectChange): Promise<void> {
    const row = await this.rows.object(objectId);
    if (row === null || !precedes(row, e)) return;
    this.change(row, e, set);
  }

  /**
   * Creates an object's row (`created` + `update` over empty columns), or — when the row exists
   * (redelivery, or events seen out of the usual order) — applies `update` unless a later position
   * already wrote it.
   */
  private async upsert(
    e: DecodedEvent,
    created: Pick<ObjectValues, 'object_id' | 'status'> & ObjectChange,
    update: ObjectChange,
  ): Promise<void> {
    const row = await this.rows.object(created.object_id);
    if (row !== null) {
      if (precedes(row, e)) this.change(row, e, update);
      return;
    }
    const at = e.occurredAt;
    this.rows.create({
      ...EMPTY_OBJECT,
      ...update,
      ...created,
      ingested_at: at,
      updated_at: at,
      ...positionColumns(e),
    });
  }

  private change(row: ObjectValues, e: DecodedEvent, set: ObjectChange): void {
    const subject = row.subject_id;
    Object.assign(row, set, { updated_at: e.occurredAt }, positionColumns(e));
    if (row.subject_id !== subject) this.rows.indexSubject(row);
  }

  private async refreshHoldCount(e: DecodedEvent, objectId: string): Promise<void> {
    const { trx } = this;
    const { rows } = await executePrepared(trx, 'catalog.holdCount', { object_id: objectId }, (p) =>
      trx
        .selectFrom('catalog_legal_holds')
        .select((eb) => eb.fn.countAll<number | string | bigint>().as('count'))
        .where('object_id', '=', p.object_id),
    );
    const count = rows[0]?.count;
    if (count === undefined) throw new Error('count(*) returned no row');
    await this.update(e, objectId, { legal_holds: Number(count) });
  }

  /** Recomputes an object's consent columns from its classification and its subject's consent. */
  private async refreshEligibility(objectId: string): Promise<void> {
    const row = await this.rows.object(objectId);
    if (row === null) return;
    const consent = row.subject_id === null ? null : await this.rows.consent(row.subject_id);
    setEligibility(row, consent ?? undefined);
  }

  /**
   * A consent event changes the catalog's copy of the subject's consent, then the eligibility of
   * every object of that subject. Eligibility is a function of stored columns only, so recomputing it
   * does not move the objects' position columns.
   */
  private async applyConsent(
    e: DecodedEvent,
    subjectId: string,
    change: (current: SubjectConsent | undefined) => SubjectConsent | undefined,
  ): Promise<void> {
    const stored = await this.rows.consent(subjectId);
    const current =
      stored === null
        ? undefined
        : {
            status: stored.status,
            permitted_uses: stored.permitted_uses,
            excluded_classes: stored.excluded_classes,
            expires_at: stored.expires_at,
          };
    const next = change(current);
    if (next === undefined || (stored !== null && !precedes(stored, e))) return;
    this.rows.setConsent({
      subject_id: subjectId,
      ...next,
      last_commit: String(e.position.commit),
      last_prepare: String(e.position.prepare),
    });
    for (const row of await this.rows.objectsOf(subjectId)) setEligibility(row, next);
  }
}

/** Sets an object's consent columns from its classified uses and class and the subject's consent. */
function setEligibility(row: ObjectValues, consent: SubjectConsent | undefined): void {
  row.consent_status = consent?.status ?? null;
  row.consent_expires_at = consent?.expires_at ?? null;
  row.eligible_uses = JSON.stringify(
    eligibleUses(parseJsonList(row.classified_uses), row.data_class, consent),
  );
}

/**
 * One row per data object: where it is, what it is, what holds and retention apply, and which uses
 * its subject's consent makes it eligible for. Schema 2 added residency, taxonomy and consent
 * eligibility (a rebuild fills them from all events, upcasting ObjectClassified v1's free-text
 * residency); schema 3 the links history follows (`catalog_links`), so that a service's first
 * timeline need not scan the whole log.
 */
export const catalogProjection: Projection = {
  name: 'catalog',
  schemaVersion: 3,
  eventTypes: CATALOG_EVENT_TYPES,
  createTables: createCatalogTables,
  createQueryIndexes: createCatalogQueryIndexes,
  begin: (trx) => new CatalogBatch(trx),
};
