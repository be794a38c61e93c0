import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyMigrations, createTestDatabase, type TestDatabase } from '@oo/database';
import { testInfrastructure } from '@oo/testing';
import pg from 'pg';

const MIGRATIONS = join(import.meta.dirname, '..', 'prisma', 'migrations');
const FOREIGN_KEYS = '20261202152517_add_connection_foreign_keys';
const SCHEMA = 'integrations';

/**
 * `task_snapshot` and `task_completion` belong to their connection: the migration that says
 * so, run over a database that already holds rows left by a removal's race.
 */
describe('the connection foreign keys migration', () => {
  let database: TestDatabase;
  let sql: pg.Client;
  let before: string;

  beforeAll(async () => {
    database = await createTestDatabase({
      services: [],
      connectionString: (await testInfrastructure()).databaseUrl,
    });
    // Every migration up to, not including, the foreign keys.
    before = await mkdtemp(join(tmpdir(), 'oo-integrations-fk-'));
    for (const entry of await readdir(MIGRATIONS)) {
      if (entry !== FOREIGN_KEYS)
        await cp(join(MIGRATIONS, entry), join(before, entry), { recursive: true });
    }
    sql = new pg.Client({ connectionString: database.url });
    await sql.connect();
  }, 60_000);

  afterAll(async () => {
    await sql?.end();
    await database?.drop();
    if (before) await rm(before, { recursive: true, force: true });
  });

  const countOf = async (table: string, userId: string): Promise<number> =>
    (
      await sql.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${SCHEMA}.${table} WHERE user_id = $1`,
        [userId],
      )
    ).rows[0]!.n;

  async function insertTaskState(userId: string): Promise<void> {
    await sql.query(
      `INSERT INTO ${SCHEMA}.task_snapshot (user_id, provider, tasks, digest, synced_at)
       VALUES ($1, 'todoist', '[{"title":"Pay rent"}]', 'd', now())`,
      [userId],
    );
    await sql.query(
      `INSERT INTO ${SCHEMA}.task_completion (user_id, provider, task_id, completion_key, via, completed_at)
       VALUES ($1, 'todoist', 't1', 'closed', 'webhook', now())`,
      [userId],
    );
  }

  it('deletes the rows of removed connections, keeps the others, and cascades every later removal', async () => {
    await applyMigrations({
      connectionString: database.url,
      schema: SCHEMA,
      migrationsDir: before,
    });
    await sql.query(
      `INSERT INTO ${SCHEMA}.connection (user_id, provider, provider_user_id, scope,
         access_token_ciphertext, access_token_iv, access_token_key_id, updated_at)
       VALUES ('kept', 'todoist', '1', 'data:read_write', '\\x00', '\\x00', 'k1', now())`,
    );
    await insertTaskState('kept');
    // Written back by a sync and a webhook that raced the user's disconnect.
    await insertTaskState('removed');

    const applied = await applyMigrations({
      connectionString: database.url,
      schema: SCHEMA,
      migrationsDir: MIGRATIONS,
    });

    expect(applied).toEqual([FOREIGN_KEYS]);
    expect(await countOf('task_snapshot', 'removed')).toBe(0);
    expect(await countOf('task_completion', 'removed')).toBe(0);
    expect(await countOf('task_snapshot', 'kept')).toBe(1);
    expect(await countOf('task_completion', 'kept')).toBe(1);
    // No connection, no task state: a late write fails instead of leaving titles behind.
    await expect(insertTaskState('removed')).rejects.toMatchObject({ code: '23503' });
    await sql.query(`DELETE FROM ${SCHEMA}.connection WHERE user_id = 'kept'`);
    expect(await countOf('task_snapshot', 'kept')).toBe(0);
    expect(await countOf('task_completion', 'kept')).toBe(0);
  });
});
