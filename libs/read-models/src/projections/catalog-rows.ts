import { comparePositions } from '@medlineage/event-store';
import type { Insertable, Selectable } from 'kysely';
import type { ReadModelTransaction } from '../database';
import { insertMany } from '../insert-many';
import { chunks, padded } from '../lookup-keys';
import { executePrepared } from '../prepared';
import type { DecodedEvent } from '../projection';
import {
  toBigInt,
  type CatalogLinkRow,
  type CatalogObjectRow,
  type CatalogSubjectConsentRow,
} from '../schema';

/*
 * The catalog's rows for the length of one projector transaction. An object collects several events
 * (ingest, classification, eligibility, tier moves, holds…), and writing each change as its own
 * UPDATE rewrote the row and its index entries every time; a batch of a rebuild touches an object
 * several times. Rows are read once, changed in memory and written once when the batch ends: an
 * INSERT for a new row, an UPDATE of the columns that changed for a stored one. The projector's
 * checkpoint compare-and-set makes this transaction the only writer of the generation, so what it
 * holds is the truth until it commits.
 */

/** An object row with every column given (64-bit columns as decimal text, as they are written). */
export type ObjectValues = Required<Insertable<CatalogObjectRow>>;

/** A link history follows (64-bit columns as decimal text). */
export type LinkValues = Required<Insertable<CatalogLinkRow>>;

/** The subject's consent as the catalog keeps it (64-bit columns as decimal text). */
export type ConsentValues = Required<Insertable<CatalogSubjectConsentRow>>;

/** Columns every new row is given by the event that creates it. */
type KeyColumn =
  'object_id' | 'status' | 'ingested_at' | 'updated_at' | 'last_position' | 'last_commit' | 'last_prepare';

/** Columns of an object row nothing has filled in yet. */
export const EMPTY_OBJECT: Omit<ObjectValues, KeyColumn> = {
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

// The types make the two lists every column exactly once (a column added to the row type fails to compile).
const KEY_COLUMNS: Readonly<Record<KeyColumn, null>> = {
  object_id: null,
  status: null,
  ingested_at: null,
  updated_at: null,
  last_position: null,
  last_commit: null,
  last_prepare: null,
};
const OBJECT_COLUMNS = [...Object.keys(KEY_COLUMNS), ...Object.keys(EMPTY_OBJECT)] as (keyof ObjectValues)[];

interface Held<T> {
  readonly values: T;
  /** As read from the table; null when the batch created the row. */
  readonly stored: T | null;
}

function objectValues(row: Selectable<CatalogObjectRow>): ObjectValues {
  return {
    ...row,
    size_bytes: row.size_bytes === null ? null : String(row.size_bytes),
    last_commit: String(row.last_commit),
    last_prepare: String(row.last_prepare),
  };
}

function consentValues(row: Selectable<CatalogSubjectConsentRow>): ConsentValues {
  return { ...row, last_commit: String(row.last_commit), last_prepare: String(row.last_prepare) };
}

/** True when a row last written at (commit, prepare) precedes `e`: `e` may change it (idempotence). */
export function precedes(row: { last_commit: string; last_prepare: string }, e: DecodedEvent): boolean {
  const written = { commit: toBigInt(row.last_commit), prepare: toBigInt(row.last_prepare) };
  return comparePositions(written, e.position) < 0;
}

export class CatalogRows {
  /** Object rows by id; null: neither in the table nor created by this batch. */
  private readonly objects = new Map<string, Held<ObjectValues> | null>();
  /** Ids of the objects held, by the subject they were given (checked against the row when used). */
  private readonly heldBySubject = new Map<string, Set<string>>();
  private readonly consents = new Map<string, Held<ConsentValues> | null>();
  /** Subjects whose stored objects the batch holds (all of them: it need not read them again). */
  private readonly subjectsRead = new Set<string>();
  /** Links established by the batch's events (only ever added). */
  private readonly links: LinkValues[] = [];

  constructor(private readonly trx: ReadModelTransaction) {}

  /**
   * Reads the rows of these objects and subjects' consents that the batch does not hold yet, a
   * hundred keys per query (the batch then finds them, or knows they are absent, without a query).
   * Rebuilding all read models from 200,000 events on PostgreSQL: 28.5 s with a query per object,
   * 19.3 s with these (SQLite, in process: about 4 % faster).
   */
  async prefetch(objectIds: Iterable<string>, subjectIds: Iterable<string>): Promise<void> {
    const { trx } = this;
    const objects = [...new Set(objectIds)].filter((id) => !this.objects.has(id));
    for (const chunk of chunks(objects)) {
      const { rows } = await executePrepared(trx, 'catalog.objects', { ids: padded(chunk) }, (p) =>
        trx.selectFrom('catalog_objects').selectAll().where('object_id', 'in', Object.values(p.ids)),
      );
      for (const row of rows) if (!this.objects.has(row.object_id)) this.hold(row);
      for (const id of chunk) if (!this.objects.has(id)) this.objects.set(id, null);
    }
    const subjects = new Set(subjectIds);
    for (const held of this.objects.values()) {
      if (held?.values.subject_id != null) subjects.add(held.values.subject_id);
    }
    for (const chunk of chunks([...subjects].filter((id) => !this.consents.has(id)))) {
      const { rows } = await executePrepared(trx, 'catalog.consents', { ids: padded(chunk) }, (p) =>
        trx.selectFrom('catalog_subject_consent').selectAll().where('subject_id', 'in', Object.values(p.ids)),
      );
      for (const row of rows) if (!this.consents.has(row.subject_id)) this.holdConsent(row);
      for (const id of chunk) if (!this.consents.has(id)) this.consents.set(id, null);
    }
  }

  async object(objectId: string): Promise<ObjectValues | null> {
    const held = this.objects.get(objectId);
    if (held !== undefined) return held?.values ?? null;
    const { rows } = await executePrepared(this.trx, 'catalog.object', { object_id: objectId }, (p) =>
      this.trx.selectFrom('catalog_objects').selectAll().where('object_id', '=', p.object_id),
    );
    const row = rows[0];
    if (row === undefined) {
      this.objects.set(objectId, null);
      return null;
    }
    return this.hold(row);
  }

  /** Holds a row the batch creates; the caller has seen that `object(values.object_id)` is null. */
  create(values: ObjectValues): ObjectValues {
    this.objects.set(values.object_id, { values, stored: null });
    this.indexSubject(values);
    return values;
  }

  /** To call after changing a held row's `subject_id`. */
  indexSubject(values: ObjectValues): void {
    if (values.subject_id === null) return;
    let ids = this.heldBySubject.get(values.subject_id);
    if (ids === undefined) this.heldBySubject.set(values.subject_id, (ids = new Set()));
    ids.add(values.object_id);
  }

  /**
   * Every object of a subject: stored ones, with this batch's changes, and the ones it created. The
   * stored ones are read once per batch: held from then on, they are indexed by subject (as is every
   * row given a subject later), and the filter below drops the ones given another subject since.
   */
  async objectsOf(subjectId: string): Promise<ObjectValues[]> {
    const ids = new Set(this.heldBySubject.get(subjectId));
    if (!this.subjectsRead.has(subjectId)) {
      const { rows } = await executePrepared(
        this.trx,
        'catalog.subjectObjects',
        { subject_id: subjectId },
        (p) => this.trx.selectFrom('catalog_objects').selectAll().where('subject_id', '=', p.subject_id),
      );
      for (const row of rows) {
        if (!this.objects.has(row.object_id)) this.hold(row);
        ids.add(row.object_id);
      }
      this.subjectsRead.add(subjectId);
    }
    const found: ObjectValues[] = [];
    for (const id of ids) {
      const values = this.objects.get(id)?.values;
      if (values?.subject_id === subjectId) found.push(values);
    }
    return found;
  }

  async consent(subjectId: string): Promise<ConsentValues | null> {
    const held = this.consents.get(subjectId);
    if (held !== undefined) return held?.values ?? null;
    const { rows } = await executePrepared(this.trx, 'catalog.consent', { subject_id: subjectId }, (p) =>
      this.trx.selectFrom('catalog_subject_consent').selectAll().where('subject_id', '=', p.subject_id),
    );
    const row = rows[0];
    if (row === undefined) {
      this.consents.set(subjectId, null);
      return null;
    }
    return this.holdConsent(row);
  }

  link(values: LinkValues): void {
    this.links.push(values);
  }

  setConsent(values: ConsentValues): void {
    const held = this.consents.get(values.subject_id);
    this.consents.set(values.subject_id, { values, stored: held?.stored ?? null });
  }

  /** Writes every row the batch created or changed. */
  async write(): Promise<void> {
    const { trx } = this;
    const created: ObjectValues[] = [];
    for (const held of this.objects.values()) {
      if (held === null) continue;
      if (held.stored === null) {
        created.push(held.values);
        continue;
      }
      const set = changed(held.values, held.stored, OBJECT_COLUMNS);
      if (set === null) continue;
      const params = { set, object_id: held.values.object_id };
      await executePrepared(this.trx, `catalog.setObject:${Object.keys(set).join()}`, params, (p) =>
        this.trx.updateTable('catalog_objects').set(p.set).where('object_id', '=', p.object_id),
      );
    }
    await insertMany(trx, 'catalog.insertObjects', created, (rows) =>
      trx.insertInto('catalog_objects').values(rows),
    );
    const consents: ConsentValues[] = [];
    for (const held of this.consents.values()) {
      if (held === null) continue;
      if (held.stored === null) {
        consents.push(held.values);
      } else if (changed(held.values, held.stored, CONSENT_COLUMNS) !== null) {
        const { subject_id, ...set } = held.values;
        await executePrepared(this.trx, 'catalog.setConsent', { set, subject_id }, (p) =>
          this.trx.updateTable('catalog_subject_consent').set(p.set).where('subject_id', '=', p.subject_id),
        );
      }
    }
    await insertMany(trx, 'catalog.insertConsents', consents, (rows) =>
      trx.insertInto('catalog_subject_consent').values(rows),
    );
    // Redelivered events find their links there already.
    await insertMany(trx, 'catalog.insertLinks', this.links, (rows) =>
      trx
        .insertInto('catalog_links')
        .values(rows)
        .onConflict((oc) =>
          oc.columns(['commit_pos', 'prepare_pos', 'link_kind', 'link_key', 'object_id']).doNothing(),
        ),
    );
  }

  private hold(row: Selectable<CatalogObjectRow>): ObjectValues {
    const values = objectValues(row);
    this.objects.set(row.object_id, { values, stored: { ...values } });
    this.indexSubject(values);
    return values;
  }

  private holdConsent(row: Selectable<CatalogSubjectConsentRow>): ConsentValues {
    const values = consentValues(row);
    this.consents.set(row.subject_id, { values, stored: { ...values } });
    return values;
  }
}

const CONSENT_COLUMN_SET: Readonly<Record<keyof ConsentValues, null>> = {
  subject_id: null,
  status: null,
  permitted_uses: null,
  excluded_classes: null,
  expires_at: null,
  last_commit: null,
  last_prepare: null,
};
const CONSENT_COLUMNS = Object.keys(CONSENT_COLUMN_SET) as (keyof ConsentValues)[];

/** The columns of `values` that differ from `stored`, or null when none does. */
function changed<T extends object>(values: T, stored: T, columns: readonly (keyof T)[]): Partial<T> | null {
  let set: Partial<T> | null = null;
  for (const column of columns) {
    if (values[column] !== stored[column]) {
      set ??= {};
      set[column] = values[column];
    }
  }
  return set;
}
