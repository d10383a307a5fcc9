import type { EventCodec } from '@medlineage/event-codec';
import type { EventStore } from '@medlineage/event-store';
import type { ReadModelDb } from './database';
import type { Projection } from './projection';
import { Projector } from './projector';
import { auditProjection } from './projections/audit';
import { catalogProjection } from './projections/catalog';
import { consentProjection } from './projections/consent';
import { lineageProjection } from './projections/lineage';

/** The v1 read models, each with its own checkpoint. */
export const V1_PROJECTIONS: readonly Projection[] = [
  catalogProjection,
  consentProjection,
  auditProjection,
  lineageProjection,
];

/** One projector per projection (independent checkpoints, so one failing model does not stall others). */
export function createProjectors(options: {
  readonly store: EventStore;
  readonly codec: EventCodec;
  readonly db: ReadModelDb;
  readonly projections?: readonly Projection[];
  readonly batchSize?: number;
}): Projector[] {
  return (options.projections ?? V1_PROJECTIONS).map(
    (projection) =>
      new Projector({
        store: options.store,
        codec: options.codec,
        db: options.db,
        projection,
        ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
      }),
  );
}

/** Marks `version` as the one queries should read (a blue/green switch is this one row). */
export async function activateVersion(
  db: ReadModelDb,
  projection: string,
  version: number,
  at = new Date(),
): Promise<void> {
  await db
    .insertInto('projection_active_version')
    .values({ projection, version, activated_at: at.toISOString() })
    .onConflict((oc) => oc.column('projection').doUpdateSet({ version, activated_at: at.toISOString() }))
    .execute();
}

/** The active version of a projection, or null when none was activated. */
export async function activeVersion(db: ReadModelDb, projection: string): Promise<number | null> {
  const row = await db
    .selectFrom('projection_active_version')
    .select('version')
    .where('projection', '=', projection)
    .executeTakeFirst();
  return row?.version ?? null;
}
