import type { EventType } from '@medlineage/domain';
import { assertNever } from '@medlineage/kernel';
import type { ExpressionBuilder } from 'kysely';
import type { ReadModelTransaction } from '../database';
import { physicalTable } from '../generations';
import { executePrepared } from '../prepared';
import { eventByEvent, isOneOf, type DecodedEvent, type Projection, type SchemaDb } from '../projection';
import type { ReadModelSchema } from '../schema';
import { iso, isoOrNull, parseJsonList, positionColumns } from './support';

export const CONSENT_EVENT_TYPES = [
  'SubjectConsentRecorded',
  'SubjectConsentRestricted',
  'SubjectConsentRevoked',
] as const satisfies readonly EventType[];

export type ConsentStatus = 'active' | 'restricted' | 'revoked';

/** Only rows last written by an EARLIER position than (commit, prepare). */
function olderThan(commit: string, prepare: string) {
  return (eb: ExpressionBuilder<ReadModelSchema, 'consent_subjects'>) =>
    eb.or([
      eb('consent_subjects.last_commit', '<', commit),
      eb.and([
        eb('consent_subjects.last_commit', '=', commit),
        eb('consent_subjects.last_prepare', '<', prepare),
      ]),
    ]);
}

async function recordHistory(
  trx: ReadModelTransaction,
  e: DecodedEvent,
  subjectId: string,
  consentId: string,
  detail: Readonly<Record<string, unknown>>,
): Promise<void> {
  const row = {
    event_id: e.id,
    subject_id: subjectId,
    consent_id: consentId,
    event_type: e.event.type,
    position: e.positionText,
    commit_pos: String(e.position.commit),
    prepare_pos: String(e.position.prepare),
    occurred_at: e.occurredAt,
    actor_id: e.metadata.actor.id,
    detail: JSON.stringify(detail),
  };
  await executePrepared(trx, 'consent.history', row, (p) =>
    trx
      .insertInto('consent_history')
      .values(p)
      .onConflict((oc) => oc.column('event_id').doNothing()),
  );
}

/** Generation `g`'s tables (`consent_v<g>_…`), empty. */
async function createTables(db: SchemaDb, g: number): Promise<void> {
  await db.schema
    .createTable(physicalTable('consent_subjects', g))
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
    .createTable(physicalTable('consent_history', g))
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
}

async function createQueryIndexes(db: SchemaDb, g: number): Promise<void> {
  const history = physicalTable('consent_history', g);
  await db.schema
    .createIndex(`${history}_subject_idx`)
    .ifNotExists()
    .on(history)
    .columns(['subject_id', 'commit_pos', 'prepare_pos'])
    .execute();
}

/** Current consent of each pseudonymous subject, plus one history row per consent event. */
export const consentProjection: Projection = {
  name: 'consent',
  schemaVersion: 1,
  createTables,
  createQueryIndexes,
  eventTypes: CONSENT_EVENT_TYPES,
  begin: eventByEvent(async (trx, e) => {
    const { event } = e;
    if (!isOneOf(event, CONSENT_EVENT_TYPES)) return;
    const at = e.occurredAt;
    switch (event.type) {
      case 'SubjectConsentRecorded': {
        const d = event.data;
        const current = {
          consent_id: d.consentId,
          status: 'active' satisfies ConsentStatus,
          site: d.site,
          form_id: d.formId,
          form_version: d.formVersion,
          signatory: d.signatory,
          permitted_uses: JSON.stringify(d.permittedUses),
          excluded_classes: JSON.stringify(d.excludedDataClasses),
          effective_from: iso(d.effectiveFrom),
          expires_at: isoOrNull(d.expiresAt),
          revoked_at: null,
          revocation_scope: null,
          updated_at: at,
          ...positionColumns(e),
        };
        await executePrepared(
          trx,
          'consent.recorded',
          { row: { subject_id: d.subjectId, ...current }, set: current },
          (p) =>
            trx
              .insertInto('consent_subjects')
              .values(p.row)
              .onConflict((oc) =>
                oc
                  .column('subject_id')
                  .doUpdateSet(p.set)
                  .where(olderThan(p.set.last_commit, p.set.last_prepare)),
              ),
        );
        await recordHistory(trx, e, d.subjectId, d.consentId, {
          permittedUses: d.permittedUses,
          excludedDataClasses: d.excludedDataClasses,
          effectiveFrom: iso(d.effectiveFrom),
          expiresAt: isoOrNull(d.expiresAt),
          signatory: d.signatory,
        });
        return;
      }
      case 'SubjectConsentRestricted': {
        const d = event.data;
        const { rows } = await executePrepared(
          trx,
          'consent.current',
          { subject_id: d.subjectId, consent_id: d.consentId },
          (p) =>
            trx
              .selectFrom('consent_subjects')
              .select(['permitted_uses', 'excluded_classes'])
              .where('subject_id', '=', p.subject_id)
              .where('consent_id', '=', p.consent_id),
        );
        const row = rows[0];
        if (row !== undefined) {
          const removed = new Set<string>(d.removedUses);
          const permitted = parseJsonList(row.permitted_uses).filter((u) => !removed.has(u));
          const excluded = [
            ...new Set([...parseJsonList(row.excluded_classes), ...d.newlyExcludedDataClasses]),
          ];
          const set = {
            status: 'restricted' satisfies ConsentStatus,
            permitted_uses: JSON.stringify(permitted),
            excluded_classes: JSON.stringify(excluded),
            updated_at: at,
            ...positionColumns(e),
          };
          await executePrepared(trx, 'consent.restricted', { set, subject_id: d.subjectId }, (p) =>
            trx
              .updateTable('consent_subjects')
              .set(p.set)
              .where('subject_id', '=', p.subject_id)
              .where(olderThan(p.set.last_commit, p.set.last_prepare)),
          );
        }
        await recordHistory(trx, e, d.subjectId, d.consentId, {
          removedUses: d.removedUses,
          newlyExcludedDataClasses: d.newlyExcludedDataClasses,
        });
        return;
      }
      case 'SubjectConsentRevoked': {
        const d = event.data;
        const set = {
          status: 'revoked' satisfies ConsentStatus,
          permitted_uses: '[]',
          revoked_at: iso(d.effectiveAt),
          revocation_scope: d.scope,
          updated_at: at,
          ...positionColumns(e),
        };
        await executePrepared(
          trx,
          'consent.revoked',
          { set, subject_id: d.subjectId, consent_id: d.consentId },
          (p) =>
            trx
              .updateTable('consent_subjects')
              .set(p.set)
              .where('subject_id', '=', p.subject_id)
              .where('consent_id', '=', p.consent_id)
              .where(olderThan(p.set.last_commit, p.set.last_prepare)),
        );
        await recordHistory(trx, e, d.subjectId, d.consentId, {
          scope: d.scope,
          effectiveAt: iso(d.effectiveAt),
        });
        return;
      }
      default:
        assertNever(event, 'consent event');
    }
  }),
};
