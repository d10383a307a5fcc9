import { Client } from 'pg';

/**
 * Creates a PostgreSQL schema for one test run (read models are opened with it as search_path) and
 * returns the function that drops it again, so runs never see each other's tables.
 */
export async function createTemporarySchema(url: string, schema: string): Promise<() => Promise<void>> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new RangeError(`not a plain schema name: ${schema}`);
  const run = async (sql: string) => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await run(`CREATE SCHEMA ${schema}`);
  return () => run(`DROP SCHEMA ${schema} CASCADE`);
}
