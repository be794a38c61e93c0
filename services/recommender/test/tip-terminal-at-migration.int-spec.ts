import { randomUUID } from 'node:crypto';
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyMigrations, createTestDatabase, type TestDatabase } from '@oo/database';
import { testInfrastructure } from '@oo/testing';
import pg from 'pg';

const MIGRATIONS = fileURLToPath(new URL('../prisma/migrations', import.meta.url));
const TERMINAL_AT = '20261203073733_add_tip_terminal_at';

/**
 * `add_tip_terminal_at` on a database that already has tips: the migrations before it are
 * applied to a scratch schema, tips and reactions are written as the previous schema had them,
 * then the migration runs. A tip with a terminal reaction gets its `terminal_at` (so it leaves
 * the expiry candidates, a `task_gone` tip that expired too); the others stay candidates.
 */
describe('migration add_tip_terminal_at', () => {
  let database: TestDatabase;
  let dir: string;
  let client: pg.Client;
  const schema = 'recommender';

  beforeAll(async () => {
    database = await createTestDatabase({
      services: [],
      connectionString: (await testInfrastructure()).databaseUrl,
    });
    dir = await mkdtemp(join(tmpdir(), 'oo-recommender-migrations-'));
    const names = (await readdir(MIGRATIONS, { withFileTypes: true }))
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    expect(names).toContain(TERMINAL_AT);
    for (const name of names.filter((candidate) => candidate < TERMINAL_AT)) {
      await cp(join(MIGRATIONS, name), join(dir, name), { recursive: true });
    }
    await applyMigrations({ connectionString: database.url, schema, migrationsDir: dir });
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await client.query(`SET search_path TO ${schema}`);
  });

  afterAll(async () => {
    await client?.end();
    await rm(dir, { recursive: true, force: true });
    await database?.drop();
  });

  async function tip(endReason: string | null, servedAt: Date): Promise<string> {
    const id = randomUUID();
    await client.query(
      `INSERT INTO tip (id, user_id, channel, task_id, provider, title, priority, policy,
         propensity, features, seed, candidate_count, latency_ms, served_at, ended_at, end_reason)
       VALUES ($1, $2, 'web', $3, 'todoist', 'A task', 3, 'linucb-d5', 0.9, '[0.5, 1]', 7, 2, 1,
         $4, $5, $6::tip_end_reason)`,
      [id, `u-${id.slice(0, 8)}`, `task-${id}`, servedAt, endReason && servedAt, endReason],
    );
    return id;
  }

  async function react(tipId: string, kind: string, action: string, reactedAt: Date) {
    await client.query(
      `INSERT INTO tip_reaction (tip_id, kind, action, reward, source, reacted_at, event_id)
       VALUES ($1, $2::tip_reaction_kind, $3, 0, 'user', $4, $5)`,
      [tipId, kind, action, reactedAt, randomUUID()],
    );
  }

  it('backfills terminal_at from terminal reactions; only tips without one stay expiry candidates', async () => {
    const servedAt = new Date('2026-12-01T08:00:00Z');
    const reactedAt = new Date('2026-12-01T09:15:00Z');
    const expiredAt = new Date('2026-12-02T08:00:00Z');
    const done = await tip('done', servedAt);
    await react(done, 'terminal', 'done', reactedAt);
    const goneExpired = await tip('task_gone', servedAt);
    await react(goneExpired, 'terminal', 'expired', expiredAt);
    const open = await tip(null, servedAt);
    const openRated = await tip(null, servedAt);
    await react(openRated, 'rating', 'helpful', reactedAt);
    const gone = await tip('task_gone', servedAt);

    await cp(join(MIGRATIONS, TERMINAL_AT), join(dir, TERMINAL_AT), { recursive: true });
    expect(
      await applyMigrations({ connectionString: database.url, schema, migrationsDir: dir }),
    ).toEqual([TERMINAL_AT]);

    const { rows } = await client.query<{ id: string; terminal_at: Date | null }>(
      'SELECT id, terminal_at FROM tip',
    );
    const terminalAt = new Map(rows.map((row) => [row.id, row.terminal_at]));
    expect(terminalAt.get(done)).toEqual(reactedAt);
    expect(terminalAt.get(goneExpired)).toEqual(expiredAt);
    expect(terminalAt.get(open)).toBeNull();
    expect(terminalAt.get(openRated)).toBeNull();
    expect(terminalAt.get(gone)).toBeNull();

    // The candidates index is the new one: its predicate is terminal_at IS NULL.
    const index = await client.query<{ definition: string }>(
      `SELECT pg_get_indexdef(indexrelid) AS definition FROM pg_index
       WHERE indexrelid = 'tip_expiry_candidates'::regclass`,
    );
    expect(index.rows[0]!.definition).toMatch(/WHERE \(terminal_at IS NULL\)/);
  });
});
