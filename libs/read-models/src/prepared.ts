import {
  createQueryId,
  type Compilable,
  type CompiledQuery,
  type QueryExecutor,
  type QueryResult,
} from 'kysely';
import type { ReadModelDb, ReadModelTransaction } from './database';

/*
 * Projections run the same few statements for every event, and building, transforming (generation
 * tables, see generations.ts) and compiling them with Kysely each time cost several times what the
 * database took to run them. A prepared query is compiled once per connection and shape, with
 * placeholders where its values go; later executions bind the new values to that SQL.
 */

/** Stands for one named value while the query is compiled once. */
class Placeholder {
  constructor(readonly path: Path) {}
}

/** Where a value is in the params: `[key]`, or `[group, key]` for a group of columns. */
type Path = readonly [string] | readonly [string, string];

/** A compiled query and, for each of its parameters, where in the params its value is. */
interface Template {
  readonly sql: string;
  readonly query: CompiledQuery['query'];
  readonly paths: readonly Path[];
}

/**
 * Templates by what compiles a query: the dialect adapter (one per Kysely instance, shared by its
 * transactions) and the plugins in order (the generation plugin decides the physical table names).
 */
interface CacheNode {
  readonly next: WeakMap<object, CacheNode>;
  templates?: Map<string, Template>;
}
const roots = new WeakMap<object, CacheNode>();

function templatesOf(executor: QueryExecutor): Map<string, Template> {
  let node = step(roots, executor.adapter);
  for (const plugin of executor.plugins) node = step(node.next, plugin);
  return (node.templates ??= new Map<string, Template>());
}

function step(map: WeakMap<object, CacheNode>, key: object): CacheNode {
  let node = map.get(key);
  if (node === undefined) map.set(key, (node = { next: new WeakMap() }));
  return node;
}

type Values = Readonly<Record<string, unknown>>;

/** Scalars only: a list or an object as a value could change the SQL's shape. */
function isScalar(value: unknown): boolean {
  const type = typeof value;
  return value === null || type === 'string' || type === 'number' || type === 'bigint' || type === 'boolean';
}

function isGroup(value: unknown): value is Values {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

/** Every value is a scalar, or a plain object (a group of columns) of scalars. */
function bindable(params: Values): boolean {
  for (const key in params) {
    const value = params[key];
    if (isScalar(value)) continue;
    if (!isGroup(value)) return false;
    for (const column in value) if (!isScalar(value[column])) return false;
  }
  return true;
}

function valueAt(params: Values, path: Path): unknown {
  const [key, column] = path;
  const value = params[key];
  if (column === undefined) return value;
  return typeof value === 'object' && value !== null ? (value as Values)[column] : undefined;
}

/**
 * Runs the query `build(params)` on `trx`, compiled once for `shape` on this connection (dialect and
 * plugins) and afterwards only bound to new values. `params` holds every value the query binds —
 * scalars, or groups of them such as a row's columns — and `build` takes them from its argument only,
 * never from elsewhere nor to choose the query's form: `shape` names whatever chooses the form (e.g.
 * which columns are set). Compiling the template checks this: every parameter must come from
 * `params`, and the query built with placeholders and with the values must give the same SQL with the
 * values in the same places. Params that are not scalars (or groups of them) are built as usual.
 */
export async function executePrepared<P extends object, R = unknown>(
  trx: ReadModelDb | ReadModelTransaction,
  shape: string,
  params: P,
  build: (params: P) => Compilable<R>,
): Promise<QueryResult<R>> {
  const values = params as Values;
  const templates = templatesOf(trx.getExecutor());
  const template = templates.get(shape);
  if (template === undefined) {
    if (!bindable(values)) return trx.executeQuery(build(params));
    const compiled = build(params).compile();
    templates.set(shape, templateOf(shape, values, build as (params: Values) => Compilable<R>, compiled));
    return trx.executeQuery(compiled);
  }
  const { paths } = template;
  const parameters = new Array<unknown>(paths.length);
  for (let i = 0; i < paths.length; i++) {
    const value = valueAt(values, paths[i] as Path);
    // Only the values the SQL binds matter; one that is not a scalar any more is built as usual.
    if (!isScalar(value)) return trx.executeQuery(build(params));
    parameters[i] = value;
  }
  return trx.executeQuery<R>({
    sql: template.sql,
    query: template.query,
    parameters,
    queryId: createQueryId(),
  });
}

function templateOf<R>(
  shape: string,
  params: Values,
  build: (params: Values) => Compilable<R>,
  real: CompiledQuery<R>,
): Template {
  const placeholders: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params)) {
    placeholders[key] = isGroup(value)
      ? Object.fromEntries(Object.keys(value).map((column) => [column, new Placeholder([key, column])]))
      : new Placeholder([key]);
  }
  // The placeholders stand in for the values while compiling; they are never sent to the database.
  const generic = build(placeholders).compile();
  const paths = generic.parameters.map((p) => {
    if (!(p instanceof Placeholder)) {
      throw new Error(`prepared query ${shape}: a bound value does not come from its params`);
    }
    return p.path;
  });
  const same =
    generic.sql === real.sql &&
    paths.length === real.parameters.length &&
    paths.every((path, i) => Object.is(valueAt(params, path), real.parameters[i]));
  if (!same) throw new Error(`prepared query ${shape}: its SQL depends on its values`);
  return { sql: generic.sql, query: generic.query, paths };
}
