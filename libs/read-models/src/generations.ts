import {
  IdentifierNode,
  OperationNodeTransformer,
  type TableNode,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';
import type { ReadModelDb } from './database';
import type { ReadModelSchema } from './schema';

/*
 * Read models are versioned by GENERATION: generation N of projection `catalog` owns the physical
 * tables `catalog_vN_objects`, `catalog_vN_legal_holds`, … Code (projections and queries) names the
 * LOGICAL tables (`catalog_objects`); a Kysely plugin rewrites every table reference to the
 * generation in use. That is what lets a rebuild fill generation N+1 beside the live N with the
 * same projection code, and lets queries follow `projection_active_version` without knowing it.
 */

/** Logical read-model tables, by the projection that owns them. */
export const PROJECTION_TABLES = {
  catalog: ['catalog_objects', 'catalog_legal_holds', 'catalog_subject_consent', 'catalog_links'],
  consent: ['consent_subjects', 'consent_history'],
  audit: ['audit_events'],
  lineage: ['lineage_nodes', 'lineage_edges'],
} as const satisfies Record<string, readonly (keyof ReadModelSchema)[]>;

export type ProjectionName = keyof typeof PROJECTION_TABLES;
export type LogicalTable = (typeof PROJECTION_TABLES)[ProjectionName][number];

export const PROJECTION_NAMES = Object.keys(PROJECTION_TABLES) as ProjectionName[];

export function isProjectionName(name: string): name is ProjectionName {
  return Object.hasOwn(PROJECTION_TABLES, name);
}

const OWNER = new Map<string, ProjectionName>(
  PROJECTION_NAMES.flatMap((p) => PROJECTION_TABLES[p].map((t) => [t, p] as const)),
);

/** `catalog_objects`, 3 → `catalog_v3_objects`. */
export function physicalTable(logical: LogicalTable, generation: number): string {
  if (!Number.isInteger(generation) || generation < 1) {
    throw new RangeError(`generation must be a positive integer, got ${generation}`);
  }
  const owner = OWNER.get(logical);
  if (owner === undefined) throw new RangeError(`not a read-model table: ${logical}`);
  return `${owner}_v${generation}${logical.slice(owner.length)}`;
}

/** Which generation of each projection a connection reads or writes. */
export type Generations = Readonly<Partial<Record<ProjectionName, number>>>;

class GenerationTransformer extends OperationNodeTransformer {
  constructor(private readonly generations: Generations) {
    super();
  }

  protected override transformTable(node: TableNode): TableNode {
    const transformed = super.transformTable(node);
    const logical = transformed.table.identifier.name;
    const owner = OWNER.get(logical);
    const generation = owner === undefined ? undefined : this.generations[owner];
    if (generation === undefined) return transformed;
    const identifier = IdentifierNode.create(physicalTable(logical as LogicalTable, generation));
    return { ...transformed, table: { ...transformed.table, identifier } };
  }
}

/** Rewrites logical read-model table names to the given generations' physical tables. */
export class GenerationTablesPlugin implements KyselyPlugin {
  private readonly transformer: GenerationTransformer;

  constructor(generations: Generations) {
    this.transformer = new GenerationTransformer(generations);
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.transformer.transformNode(args.node, args.queryId);
  }

  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result);
  }
}

/**
 * One plugin per generations map, by {@link generationsKey}: prepared queries (prepared.ts) are
 * cached per plugin object, so a connection made for the same generations again reuses them.
 */
const PLUGINS = new Map<string, GenerationTablesPlugin>();

/** The same string for the same generation of each projection, whatever the map's key order. */
function generationsKey(generations: Generations): string {
  return PROJECTION_NAMES.map((p) => generations[p] ?? '-').join(',');
}

/**
 * A connection whose logical tables resolve to `generations`. A projection missing from the map
 * has no physical table to resolve to, so using its tables fails loudly ("no such table").
 */
export function withGenerations(db: ReadModelDb, generations: Generations): ReadModelDb {
  const key = generationsKey(generations);
  let plugin = PLUGINS.get(key);
  if (plugin === undefined) {
    plugin = new GenerationTablesPlugin({ ...generations });
    PLUGINS.set(key, plugin);
  }
  return db.withPlugin(plugin);
}
