import { describeWithPostgres, uniqueName } from '@medlineage/testing';
import { ReadModelDatabase } from './database';
import { readModelSuite } from './testing/read-model-suite';
import { createTemporarySchema } from './testing/temporary-schema';

describeWithPostgres('read models on PostgreSQL', (postgres) => {
  readModelSuite(async () => {
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
  });
});
