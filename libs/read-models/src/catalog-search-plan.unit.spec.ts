import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CompiledQuery,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';
import { ReadModelDatabase, type ReadModelDb } from './database';
import { planServing } from './generation-registry';
import { migrateReadModels } from './migrations';
import { searchCatalog, type CatalogSearch } from './queries';
import { PROJECTIONS, servingView } from './read-models';

/** Keeps the last query's node, as it reaches the database (generation tables resolved). */
class LastQuery implements KyselyPlugin {
  node: RootOperationNode | undefined;
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.node = args.node;
    return args.node;
  }
  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result);
  }
}

/*
 * SQLite plans these searches without statistics (nobody runs ANALYZE on a read model), so the
 * catalog's indexes and the query's shape alone must let it read a page in order: sorting every
 * match of a status or a modality to keep 50 took hundreds of milliseconds on 1M rows (`npm run
 * bench -- api`).
 */
describe('catalog search plans on SQLite', () => {
  let dir: string;
  let database: ReadModelDatabase;
  let view: ReadModelDb;
  const last = new LastQuery();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'medlineage-rm-plan-'));
    database = ReadModelDatabase.open({ url: `sqlite:${join(dir, 'read-models.db')}` });
    await migrateReadModels(database.db);
    await planServing(database.db, PROJECTIONS);
    view = (await servingView(database.db)).withPlugin(last);
  });

  afterAll(async () => {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function plan(search: CatalogSearch): Promise<string> {
    await searchCatalog(view, search);
    if (last.node === undefined) throw new Error('no query ran');
    const query = view.getExecutor().compileQuery(last.node, { queryId: 'plan' });
    const explained = await database.db.executeQuery<{ detail: string }>(
      CompiledQuery.raw(`explain query plan ${query.sql}`, [...query.parameters]),
    );
    return explained.rows.map((r) => r.detail).join(' | ');
  }

  const cursor = (v: string, id: string, d: 'asc' | 'desc' = 'asc'): string =>
    Buffer.from(JSON.stringify({ s: 'ingestedAt', d, v, id })).toString('base64url');

  it.each<[string, CatalogSearch, RegExp]>([
    ['by subject', { filter: { subjectId: 'sub-1' } }, /subject_id_idx \(subject_id=\?\)/],
    ['by study', { filter: { studyKey: 'stk-1' } }, /study_key_idx \(study_key=\?\)/],
    [
      'a status queue, next page',
      { filter: { status: 'under-review' }, cursor: cursor('2026-01-01T00:00:00.000Z', 'x') },
      /status_idx \(status=\? AND \(ingested_at,object_id\)>\(\?,\?\)\)/,
    ],
    [
      'imaging of a modality, newest first, next page',
      {
        filter: { dataClass: 'IMAGING', modality: 'CT' },
        direction: 'desc',
        cursor: cursor('2026-01-01T00:00:00.000Z', 'x', 'desc'),
      },
      /(modality|data_class)_idx \((modality|data_class)=\? AND \(ingested_at,object_id\)<\(\?,\?\)\)/,
    ],
    [
      'eligible for research, of a modality, since a date',
      { filter: { eligibleFor: 'RESEARCH', modality: 'MR', ingestedFrom: new Date('2024-01-01T00:00:00Z') } },
      /modality_idx \(modality=\? AND ingested_at>\?\)/,
    ],
    [
      'everything, next page',
      { cursor: cursor('2026-01-01T00:00:00.000Z', 'x') },
      /ingested_at_idx \(\(ingested_at,object_id\)>\(\?,\?\)\)/,
    ],
  ])('%s: reads the page in index order', async (_name, search, index) => {
    const detail = await plan(search);
    expect(detail).toMatch(index);
    expect(detail).not.toMatch(/TEMP B-TREE/);
  });
});
