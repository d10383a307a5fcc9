import type { EventStore } from '@medlineage/event-store';
import type { ReadModelDb } from './database';
import { activeGenerations, listGenerations } from './generation-registry';
import { withGenerations, type Generations } from './generations';
import type { Projection } from './projection';
import { progressOf, START } from './projector';
import { PROJECTIONS } from './read-models';

/**
 * Hands query code a connection bound to the ACTIVE generation of every read model. The active
 * generations are re-read at most every `ttlMs`, so a blue/green switch reaches readers within that
 * time without a lookup per query. (The replaced generation is kept after a switch, so a reader
 * still on it for that moment reads consistent, if slightly older, rows.)
 */
export class ServingReadModels {
  private cached: {
    readonly at: number;
    readonly generations: Generations;
    readonly view: ReadModelDb;
  } | null = null;

  constructor(
    readonly db: ReadModelDb,
    private readonly ttlMs = 1000,
  ) {}

  async view(): Promise<ReadModelDb> {
    const now = Date.now();
    if (this.cached !== null && now - this.cached.at < this.ttlMs) return this.cached.view;
    const generations = await activeGenerations(this.db);
    const same =
      this.cached !== null && JSON.stringify(this.cached.generations) === JSON.stringify(generations);
    const view = same && this.cached !== null ? this.cached.view : withGenerations(this.db, generations);
    this.cached = { at: now, generations, view };
    return view;
  }
}

export interface GenerationProgress {
  readonly generation: number;
  readonly schemaVersion: number;
  readonly position: string;
  readonly eventsApplied: number;
  readonly lag: bigint;
  readonly caughtUp: boolean;
}

export interface ProjectionReport {
  readonly projection: string;
  /** Schema version this build writes. */
  readonly codeSchemaVersion: number;
  /** The generation queries read (null before the first start). */
  readonly active: GenerationProgress | null;
  /** Built by another schema version: readable, not fed until rebuilt. */
  readonly stale: boolean;
  /** A newer generation being (or left half) rebuilt beside the active one. */
  readonly rebuilding: GenerationProgress | null;
}

/** Where every read model stands: active generation, lag, staleness, and any rebuild under way. */
export async function projectionReports(
  db: ReadModelDb,
  store: EventStore,
  projections: readonly Projection[] = PROJECTIONS,
): Promise<ProjectionReport[]> {
  const head = await store.headPosition();
  return Promise.all(
    projections.map(async (projection) => {
      const generations = await listGenerations(db, projection.name);
      const toProgress = (g: (typeof generations)[number]): GenerationProgress => ({
        generation: g.generation,
        schemaVersion: g.schemaVersion,
        position: g.position,
        eventsApplied: g.eventsApplied,
        ...progressOf(g.position === START ? null : g.position, head),
      });
      const active = generations.find((g) => g.active);
      const newer = generations
        .filter((g) => active === undefined || g.generation > active.generation)
        .at(-1);
      return {
        projection: projection.name,
        codeSchemaVersion: projection.schemaVersion,
        active: active === undefined ? null : toProgress(active),
        stale: active !== undefined && active.schemaVersion !== projection.schemaVersion,
        rebuilding: newer === undefined ? null : toProgress(newer),
      };
    }),
  );
}
