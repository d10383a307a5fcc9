import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReadModelDatabase, type ReadModelDb } from './database';
import { withGenerations } from './generations';
import { migrateReadModels } from './migrations';
import { executePrepared } from './prepared';
import type { SchemaDb } from './projection';
import { lineageProjection } from './projections/lineage';

describe('prepared queries', () => {
  let dir: string;
  let database: ReadModelDatabase;
  let db: ReadModelDb;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'medlineage-prepared-'));
    database = ReadModelDatabase.open({ url: `sqlite:${join(dir, 'read-models.db')}` });
    db = database.db;
    await migrateReadModels(db);
    await lineageProjection.createTables(db as unknown as SchemaDb, 2);
  });

  afterEach(async () => {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const node = (id: string, label: string | null) => ({
    node_id: id,
    kind: 'object',
    ref_id: id,
    label,
    first_position: 'C:1/P:1',
  });

  it('builds and compiles a shape once, then binds each call its own values', async () => {
    const v1 = withGenerations(db, { lineage: 1 });
    const build = jest.fn();
    await v1.transaction().execute(async (trx) => {
      for (const id of ['a', 'b', 'c']) {
        await executePrepared(trx, 'test.node', node(id, `label ${id}`), (p) => {
          build();
          return trx
            .insertInto('lineage_nodes')
            .values(p)
            .onConflict((oc) => oc.column('node_id').doNothing());
        });
      }
    });
    // Once with the values, once with placeholders; never again.
    expect(build).toHaveBeenCalledTimes(2);
    const rows = await v1
      .selectFrom('lineage_nodes')
      .select(['node_id', 'label'])
      .orderBy('node_id')
      .execute();
    expect(rows).toEqual([
      { node_id: 'a', label: 'label a' },
      { node_id: 'b', label: 'label b' },
      { node_id: 'c', label: 'label c' },
    ]);
  });

  it('keeps one compiled form per generation (the physical tables differ) and binds groups of columns', async () => {
    for (const generation of [1, 2, 1, 2]) {
      const view = withGenerations(db, { lineage: generation });
      await view.transaction().execute(async (trx) => {
        const params = { row: node(`n${generation}`, 'first'), label: `g${generation}` };
        await executePrepared(trx, 'test.labelled', params, (p) =>
          trx
            .insertInto('lineage_nodes')
            .values(p.row)
            .onConflict((oc) => oc.column('node_id').doUpdateSet({ label: p.label })),
        );
      });
    }
    for (const generation of [1, 2]) {
      const rows = await withGenerations(db, { lineage: generation })
        .selectFrom('lineage_nodes')
        .select(['node_id', 'label'])
        .execute();
      expect(rows).toEqual([{ node_id: `n${generation}`, label: `g${generation}` }]);
    }
  });

  it('refuses a value that does not come from the params (it would be frozen into the template)', async () => {
    const v1 = withGenerations(db, { lineage: 1 });
    const outside = 'from-the-closure';
    await expect(
      v1
        .transaction()
        .execute((trx) =>
          executePrepared(trx, 'test.closure', { node_id: 'a' }, (p) =>
            trx
              .selectFrom('lineage_nodes')
              .select('node_id')
              .where('node_id', '=', p.node_id)
              .where('kind', '=', outside),
          ),
        ),
    ).rejects.toThrow(/does not come from its params/);
  });

  it('refuses a query whose form depends on its values', async () => {
    const v1 = withGenerations(db, { lineage: 1 });
    await expect(
      v1.transaction().execute((trx) =>
        executePrepared(trx, 'test.form', node('a', null), (p) =>
          trx
            .insertInto('lineage_nodes')
            .values(p)
            .onConflict((oc) =>
              p.label === null
                ? oc.column('node_id').doNothing()
                : oc.column('node_id').doUpdateSet({ label: p.label }),
            ),
        ),
      ),
    ).rejects.toThrow(/depends on its values/);
  });

  it('builds a query as usual when a value is not a scalar (a list could change its form)', async () => {
    const v1 = withGenerations(db, { lineage: 1 });
    await v1
      .insertInto('lineage_nodes')
      .values([node('a', null), node('b', null), node('c', null)])
      .execute();
    const build = jest.fn();
    const found = await v1.transaction().execute(async (trx) => {
      const out: string[][] = [];
      for (const ids of [['a'], ['b', 'c']]) {
        const { rows } = await executePrepared(trx, 'test.list', { ids }, (p) => {
          build();
          return trx
            .selectFrom('lineage_nodes')
            .select('node_id')
            .where('node_id', 'in', p.ids)
            .orderBy('node_id');
        });
        out.push(rows.map((r) => r.node_id));
      }
      return out;
    });
    expect(found).toEqual([['a'], ['b', 'c']]);
    expect(build).toHaveBeenCalledTimes(2);
  });
});
