import type { ReadModelDb } from './database';
import {
  isProjectionName,
  PROJECTION_TABLES,
  physicalTable,
  type Generations,
  type ProjectionName,
} from './generations';
import type { Projection, SchemaDb } from './projection';
import { START } from './projector';
import { toBigInt } from './schema';

/*
 * The lifecycle of read-model generations: which exist (`projection_generations`, with the schema
 * version of the code that laid them out), which one queries read (`projection_active_version`,
 * one row per projection: switching is one UPDATE), and how far each has been fed
 * (`projection_checkpoints`, keyed by generation).
 */

export interface GenerationInfo {
  readonly projection: ProjectionName;
  readonly generation: number;
  readonly schemaVersion: number;
  readonly createdAt: string;
  readonly active: boolean;
  /** Checkpoint text, or `start`. */
  readonly position: string;
  readonly eventsApplied: number;
}

/** What a process should do with one projection: feed `generation`, or only serve it (stale). */
export type ServingPlan =
  | { readonly projection: ProjectionName; readonly generation: number; readonly state: 'current' }
  | {
      readonly projection: ProjectionName;
      readonly generation: number;
      readonly state: 'stale';
      /** Schema version the active generation was built with; the code's is `projection.schemaVersion`. */
      readonly builtWithSchema: number;
    };

export class GenerationError extends Error {
  override readonly name = 'GenerationError';
}

export async function listGenerations(
  db: ReadModelDb,
  projection: ProjectionName,
): Promise<GenerationInfo[]> {
  const [rows, active] = await Promise.all([
    db
      .selectFrom('projection_generations as g')
      .leftJoin('projection_checkpoints as c', (join) =>
        join.onRef('c.projection', '=', 'g.projection').onRef('c.version', '=', 'g.generation'),
      )
      .select(['g.generation', 'g.schema_version', 'g.created_at', 'c.position', 'c.events_applied'])
      .where('g.projection', '=', projection)
      .orderBy('g.generation')
      .execute(),
    activeGeneration(db, projection),
  ]);
  return rows.map((r) => ({
    projection,
    generation: r.generation,
    schemaVersion: r.schema_version,
    createdAt: r.created_at,
    active: r.generation === active,
    position: r.position ?? START,
    eventsApplied: r.events_applied === null ? 0 : Number(toBigInt(r.events_applied)),
  }));
}

/** The generation queries read, or null when none was activated yet. */
export async function activeGeneration(db: ReadModelDb, projection: ProjectionName): Promise<number | null> {
  const row = await db
    .selectFrom('projection_active_version')
    .select('version')
    .where('projection', '=', projection)
    .executeTakeFirst();
  return row?.version ?? null;
}

/** The active generation of every projection that has one (what queries should read). */
export async function activeGenerations(db: ReadModelDb): Promise<Generations> {
  const rows = await db.selectFrom('projection_active_version').select(['projection', 'version']).execute();
  const out: Partial<Record<ProjectionName, number>> = {};
  for (const row of rows) {
    if (isProjectionName(row.projection)) out[row.projection] = row.version;
  }
  return out;
}

/** The active generation of `projection`, the schema that laid it out, and its checkpoint (one query). */
export async function activeGenerationInfo(
  db: ReadModelDb,
  projection: ProjectionName,
): Promise<{ generation: number; schemaVersion: number; position: string } | undefined> {
  const row = await db
    .selectFrom('projection_active_version as a')
    .innerJoin('projection_generations as g', (join) =>
      join.onRef('g.projection', '=', 'a.projection').onRef('g.generation', '=', 'a.version'),
    )
    .innerJoin('projection_checkpoints as c', (join) =>
      join.onRef('c.projection', '=', 'a.projection').onRef('c.version', '=', 'a.version'),
    )
    .select(['a.version', 'g.schema_version', 'c.position'])
    .where('a.projection', '=', projection)
    .executeTakeFirst();
  return row === undefined
    ? undefined
    : { generation: row.version, schemaVersion: row.schema_version, position: row.position };
}

/** Makes `generation` the one queries read: one row, so the switch is atomic. */
export async function activateGeneration(
  db: ReadModelDb,
  projection: ProjectionName,
  generation: number,
  at = new Date(),
): Promise<void> {
  const activated_at = at.toISOString();
  await db
    .insertInto('projection_active_version')
    .values({ projection, version: generation, activated_at })
    .onConflict((oc) => oc.column('projection').doUpdateSet({ version: generation, activated_at }))
    .execute();
}

/**
 * Creates the next generation of `projection` (empty tables laid out by this code, a registry row,
 * a checkpoint at the start) in one transaction, so a crash leaves either all of it or nothing.
 */
export async function createGeneration(
  db: ReadModelDb,
  projection: Projection,
  options: {
    readonly at?: Date;
    /** Leave out the query-only indexes (a rebuild creates them before it switches). */
    readonly deferQueryIndexes?: boolean;
  } = {},
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const { max } = await trx
      .selectFrom('projection_generations')
      .select((eb) => eb.fn.max<number | null>('generation').as('max'))
      .where('projection', '=', projection.name)
      .executeTakeFirstOrThrow();
    const generation = Number(max ?? 0) + 1;
    await projection.createTables(trx as unknown as SchemaDb, generation);
    if (options.deferQueryIndexes !== true) {
      await projection.createQueryIndexes(trx as unknown as SchemaDb, generation);
    }
    const created_at = (options.at ?? new Date()).toISOString();
    await trx
      .insertInto('projection_generations')
      .values({
        projection: projection.name,
        generation,
        schema_version: projection.schemaVersion,
        created_at,
      })
      .execute();
    await trx
      .insertInto('projection_checkpoints')
      .values({
        projection: projection.name,
        version: generation,
        position: START,
        events_applied: '0',
        updated_at: created_at,
      })
      .execute();
    return generation;
  });
}

/** Drops an inactive generation's tables, registry row and checkpoint. */
export async function dropGeneration(
  db: ReadModelDb,
  projection: ProjectionName,
  generation: number,
): Promise<void> {
  if ((await activeGeneration(db, projection)) === generation) {
    throw new GenerationError(`${projection} generation ${generation} is active; switch first`);
  }
  await db.transaction().execute(async (trx) => {
    for (const table of PROJECTION_TABLES[projection]) {
      await (trx as unknown as SchemaDb).schema
        .dropTable(physicalTable(table, generation))
        .ifExists()
        .execute();
    }
    await trx
      .deleteFrom('projection_generations')
      .where('projection', '=', projection)
      .where('generation', '=', generation)
      .execute();
    await trx
      .deleteFrom('projection_checkpoints')
      .where('projection', '=', projection)
      .where('version', '=', generation)
      .execute();
  });
}

async function planOnce(db: ReadModelDb, projection: Projection): Promise<ServingPlan> {
  const name = projection.name;
  const generations = await listGenerations(db, name);
  const recorded = generations.find((g) => g.active);
  const active = recorded ?? generations.at(-1);
  if (active === undefined) {
    const generation = await createGeneration(db, projection);
    await activateGeneration(db, name, generation);
    return { projection: name, generation, state: 'current' };
  }
  if (recorded === undefined) await activateGeneration(db, name, active.generation);
  if (active.schemaVersion === projection.schemaVersion) {
    return { projection: name, generation: active.generation, state: 'current' };
  }
  if (active.position === START) {
    // Built by other code but never fed: nothing to keep, so lay it out anew without a rebuild.
    const generation = await createGeneration(db, projection);
    await activateGeneration(db, name, generation);
    await dropGeneration(db, name, active.generation);
    return { projection: name, generation, state: 'current' };
  }
  return {
    projection: name,
    generation: active.generation,
    state: 'stale',
    builtWithSchema: active.schemaVersion,
  };
}

/**
 * Decides, for each projection, which generation this process feeds: the active one when this
 * code's schema built it; a fresh one when the active one is empty and from other code (a new
 * install, or a schema change before any event); otherwise `stale` — it stays readable, and only
 * `projections rebuild` can bring it to this schema. Several processes may start at once: a lost
 * race to create a generation is retried.
 */
export async function planServing(
  db: ReadModelDb,
  projections: readonly Projection[],
): Promise<ServingPlan[]> {
  const plans: ServingPlan[] = [];
  for (const projection of projections) {
    for (let attempt = 1; ; attempt++) {
      try {
        plans.push(await planOnce(db, projection));
        break;
      } catch (error) {
        if (attempt >= 3 || error instanceof GenerationError) throw error;
      }
    }
  }
  return plans;
}
