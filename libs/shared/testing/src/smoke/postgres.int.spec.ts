import { Client } from 'pg';

import { describeWithPostgres, uniqueName } from '../index';

// Explicit: jest-circus applies only the global testTimeout (5 s default), not a project's.
const TIMEOUT_MS = 30_000;

describeWithPostgres('PostgreSQL smoke: connection, round trip, durability settings', (postgres) => {
  let client: Client | undefined;

  beforeAll(async () => {
    client = new Client({ connectionString: postgres().connectionString });
    await client.connect();
  }, TIMEOUT_MS);

  afterAll(async () => {
    await client?.end();
  }, TIMEOUT_MS);

  function db(): Client {
    if (!client) throw new Error('not connected');
    return client;
  }

  it('inserts into a temp table and selects the rows back', async () => {
    const table = uniqueName('smoke', { separator: '_' });
    await db().query(`CREATE TEMP TABLE ${table} (id int PRIMARY KEY, body text NOT NULL)`);
    await db().query(`INSERT INTO ${table} (id, body) VALUES ($1, $2), ($3, $4)`, [1, 'first', 2, 'second']);
    const { rows } = await db().query<{ id: number; body: string }>(
      `SELECT id, body FROM ${table} ORDER BY id`,
    );
    expect(rows).toEqual([
      { id: 1, body: 'first' },
      { id: 2, body: 'second' },
    ]);
    // Unique constraints, not isolation levels, are what we rely on for idempotency: check one holds.
    await expect(db().query(`INSERT INTO ${table} (id, body) VALUES (1, 'again')`)).rejects.toThrow(
      /duplicate key/,
    );
  });

  // The durability the rest of the system is designed around (see shared/notes, PostgreSQL section).
  it.each(['fsync', 'synchronous_commit', 'full_page_writes', 'data_checksums'] as const)(
    'runs with %s on',
    async (setting) => {
      const { rows } = await db().query<Record<string, string>>(`SHOW ${setting}`);
      expect(rows[0]?.[setting]).toBe('on');
    },
    TIMEOUT_MS,
  );
});
