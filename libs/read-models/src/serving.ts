import type { EventStore, GlobalPosition } from '@medlineage/event-store';
import type { ReadModelDb } from './database';
import { activeGenerations, listGenerations } from './generation-registry';
import { withGenerations } from './generations';
import type { Projection } from './projection';
import { progressOf } from './projector';
import { PROJECTIONS } from './read-models';

/**
 * Hands query code a connection bound to the ACTIVE generation of every read model. The active
 * generations are re-read at most every `ttlMs`, so a blue/green switch reaches readers within that
 * time without a lookup per query. (The replaced generation is kept after a switch, so a reader
 * still on it for that moment reads consistent, if slightly older, rows.)
 */
export class ServingReadModels {
  private cached: { readonly at: number; readonly view: ReadModelDb } | null = null;

  constructor(
    readonly db: ReadModelDb,
    private readonly ttlMs = 1000,
  ) {}

  /** The same generations give a connection with the same plugin, hence the same prepared queries. */
  async view(): Promise<ReadModelDb> {
    const now = Date.now();
    if (this.cached !== null && now - this.cached.at < this.ttlMs) return this.cached.view;
    const view = withGenerations(this.db, await activeGenerations(this.db));
    this.cached = { at: now, view };
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

/**
 * Where every read model stands: active generation, lag, staleness, and any rebuild under way. Lag
 * is measured to `head`, the log's last position, which is read from `store` when not given (a
 * caller that reports the head too reads it once and passes it).
 */
export async function projectionReports(
  db: ReadModelDb,
  store: EventStore,
  projections: readonly Projection[] = PROJECTIONS,
  head?: GlobalPosition | null,
): Promise<ProjectionReport[]> {
  const at = head === undefined ? await store.headPosition() : head;
  return Promise.all(
    projections.map(async (projection) => {
      const generations = await listGenerations(db, projection.name);
      const toProgress = (g: (typeof generations)[number]): GenerationProgress => ({
        generation: g.generation,
        schemaVersion: g.schemaVersion,
        position: g.position,
        eventsApplied: g.eventsApplied,
        ...progressOf(g.position, at),
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
