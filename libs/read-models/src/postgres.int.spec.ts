import { describeWithPostgres, uniqueName } from '@medlineage/testing';
import { Client } from 'pg';
import { ReadModelDatabase } from './database';
import { readModelSuite } from './testing/read-model-suite';

describeWithPostgres('read models on PostgreSQL', (postgres) => {
  readModelSuite(async () => {
    const url = postgres().connectionString;
    const schema = uniqueName('readmodels', { separator: '_' });
    const admin = new Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`CREATE SCHEMA ${schema}`);
    } finally {
      await admin.end();
    }
    const primary = ReadModelDatabase.open({ url, schema, poolSize: 4 });
    return {
      primary,
      connectAgain: () => ReadModelDatabase.open({ url, schema, poolSize: 2 }),
      dispose: async () => {
        await primary.close();
        const cleanup = new Client({ connectionString: url });
        await cleanup.connect();
        try {
          await cleanup.query(`DROP SCHEMA ${schema} CASCADE`);
        } finally {
          await cleanup.end();
        }
      },
    };
  });
});
