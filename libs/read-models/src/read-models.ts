import type { EventCodec } from '@medlineage/event-codec';
import type { EventStore } from '@medlineage/event-store';
import type { ReadModelDb } from './database';
import { activeGenerations, planServing, type ServingPlan } from './generation-registry';
import { withGenerations } from './generations';
import type { Projection } from './projection';
import { Projector } from './projector';
import { auditProjection } from './projections/audit';
import { catalogProjection } from './projections/catalog';
import { consentProjection } from './projections/consent';
import { lineageProjection } from './projections/lineage';

/** The product's read models, each with its own generations and checkpoints. */
export const PROJECTIONS: readonly Projection[] = [
  catalogProjection,
  consentProjection,
  auditProjection,
  lineageProjection,
];

export interface ProjectorsOptions {
  readonly store: EventStore;
  readonly codec: EventCodec;
  readonly db: ReadModelDb;
  readonly projections?: readonly Projection[];
  readonly batchSize?: number;
}

/**
 * One projector per projection this code can feed (independent checkpoints, so one failing model
 * does not stall others), plus the plan: `stale` ones need `projections rebuild` first.
 */
export async function planProjectors(
  options: ProjectorsOptions,
): Promise<{ projectors: Projector[]; plans: ServingPlan[] }> {
  const projections = options.projections ?? PROJECTIONS;
  const plans = await planServing(options.db, projections);
  const projectors = plans.flatMap((plan, i) => {
    const projection = projections[i];
    return plan.state !== 'current' || projection === undefined
      ? []
      : [projectorFor(options, projection, plan.generation)];
  });
  return { projectors, plans };
}

/** A projector feeding `generation` of `projection` with these stores and batch size. */
export function projectorFor(
  options: ProjectorsOptions,
  projection: Projection,
  generation: number,
): Projector {
  const { store, codec, db, batchSize } = options;
  return new Projector({
    store,
    codec,
    db,
    projection,
    generation,
    ...(batchSize === undefined ? {} : { batchSize }),
  });
}

/** {@link planProjectors} for callers that need every projection fed: throws when one is stale. */
export async function createProjectors(options: ProjectorsOptions): Promise<Projector[]> {
  const { projectors, plans } = await planProjectors(options);
  const stale = plans.filter((p) => p.state === 'stale').map((p) => p.projection);
  if (stale.length > 0) {
    throw new Error(`read models built by an older schema need a rebuild: ${stale.join(', ')}`);
  }
  return projectors;
}

/** A connection that reads the active generation of every read model (what queries take). */
export async function servingView(db: ReadModelDb): Promise<ReadModelDb> {
  return withGenerations(db, await activeGenerations(db));
}
