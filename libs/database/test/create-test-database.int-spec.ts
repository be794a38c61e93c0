import pg from 'pg';

import { createTestDatabase, resolveDatabaseUrl, withDatabase } from '../src/index.js';

async function query<T extends pg.QueryResultRow>(
  url: string,
  sql: string,
  values: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

describe('createTestDatabase', () => {
  it('gives each caller its own migrated database and drops it', async () => {
    const [one, two] = await Promise.all([
      createTestDatabase({ services: ['auth', 'notifier'] }),
      createTestDatabase({ services: ['auth', 'notifier'] }),
    ]);
    try {
      expect(one.name).not.toEqual(two.name);
      const schemas = await query<{ nspname: string }>(
        one.url,
        "SELECT nspname FROM pg_namespace WHERE nspname IN ('auth','profile','notifier') ORDER BY nspname",
      );
      expect(schemas.map((row) => row.nspname)).toEqual(['auth', 'notifier']);
      const applied = await query<{ migration_name: string }>(
        one.url,
        'SELECT migration_name FROM notifier._prisma_migrations',
      );
      expect(applied.map((row) => row.migration_name)).toEqual([
        '20261122000000_create_processed_event',
      ]);
      await query(
        one.url,
        "INSERT INTO auth.processed_event (consumer, event_id) VALUES ('x', gen_random_uuid())",
      );
      expect(await query(two.url, 'SELECT * FROM auth.processed_event')).toEqual([]);
    } finally {
      await one.drop();
      await two.drop();
    }
    const left = await query(
      withDatabase(resolveDatabaseUrl(), 'postgres'),
      'SELECT 1 FROM pg_database WHERE datname = ANY($1)',
      [[one.name, two.name]],
    );
    expect(left).toEqual([]);
  });
});
