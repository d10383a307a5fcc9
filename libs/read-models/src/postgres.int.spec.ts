import { describeWithPostgres, uniqueName } from '@medlineage/testing';
import { ReadModelDatabase } from './database';
import { readModelSuite } from './testing/read-model-suite';
import { rebuildSuite } from './testing/rebuild-suite';
import { createTemporarySchema } from './testing/temporary-schema';

describeWithPostgres('read models on PostgreSQL', (postgres) => {
  const createDatabase = async () => {
    const url = postgres().connectionString;
    const schema = uniqueName('readmodels', { separator: '_' });
    const dropSchema = await createTemporarySchema(url, schema);
    const primary = ReadModelDatabase.open({ url, schema, poolSize: 4 });
    return {
      primary,
      connectAgain: () => ReadModelDatabase.open({ url, schema, poolSize: 2 }),
      dispose: async () => {
        await primary.close();
        await dropSchema();
      },
    };
  };
  readModelSuite(createDatabase);
  describe('blue/green rebuild', () => rebuildSuite(createDatabase));
});
