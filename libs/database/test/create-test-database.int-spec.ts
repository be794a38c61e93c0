import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';

import { expectEventually, testInfrastructure } from '@oo/testing';
import pg from 'pg';

import { withAdminClient } from '../src/admin/database-admin.js';
import { withDatabase } from '../src/config/database-url.js';
import { quoteIdent } from '../src/config/quote-ident.js';
import { withAdvisoryLock } from '../src/migrate/migration-lock.js';
import { createTestDatabase } from '../src/index.js';
import {
  buildTemplate,
  dropTemplate,
  TEMPLATE_LOCK_KEY,
} from '../src/testing/template-database.js';

/** Every migration the notifier has, in order: what a fresh database must have applied. */
const NOTIFIER_MIGRATIONS = readdirSync(
  new URL('../../../services/notifier/prisma/migrations/', import.meta.url),
)
  .filter((name) => /^\d{14}_/.test(name))
  .sort();

let server: string;

beforeAll(async () => {
  server = (await testInfrastructure()).databaseUrl;
});

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

/** Databases of the server whose name starts with `prefix`. */
async function databasesNamed(prefix: string): Promise<string[]> {
  const rows = await query<{ datname: string }>(
    withDatabase(server, 'postgres'),
    'SELECT datname FROM pg_database WHERE starts_with(datname, $1) ORDER BY datname',
    [prefix],
  );
  return rows.map((row) => row.datname);
}

describe('createTestDatabase', () => {
  it('gives each caller its own migrated database and drops it', async () => {
    const [one, two] = await Promise.all([
      createTestDatabase({ services: ['auth', 'notifier'], connectionString: server }),
      createTestDatabase({ services: ['auth', 'notifier'], connectionString: server }),
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
      expect(applied.map((row) => row.migration_name)).toEqual([...NOTIFIER_MIGRATIONS]);
      await query(
        one.url,
        "INSERT INTO auth.processed_event (consumer, event_id) VALUES ('x', gen_random_uuid())",
      );
      expect(await query(two.url, 'SELECT * FROM auth.processed_event')).toEqual([]);
    } finally {
      await one.drop();
      await two.drop();
    }
    // Checked on the server the databases were made on.
    expect(await databasesNamed(one.name)).toEqual([]);
    expect(await databasesNamed(two.name)).toEqual([]);
  });

  it('creates an empty database, without a template, when no service is asked for', async () => {
    const db = await createTestDatabase({ services: [], connectionString: server });
    try {
      const schemas = await query<{ nspname: string }>(
        db.url,
        "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'",
      );
      expect(schemas.map((row) => row.nspname)).toEqual(['public']);
    } finally {
      await db.drop();
    }
  });
});

describe('building a template', () => {
  it('builds it once when two processes race for it, and sweeps stale templates', async () => {
    const suffix = randomBytes(4).toString('hex');
    // Not `oo_tpl_`-prefixed, so no concurrent sweep takes it for stale.
    const name = `oo_race_${suffix}`;
    const stale = `oo_tpl_stale_${suffix}`;
    // Each racer connects under this name, so the test can see exactly its own waiters.
    const racers = new URL(server);
    racers.searchParams.set('application_name', `oo-race-${suffix}`);
    const holder = new pg.Client({ connectionString: withDatabase(server, 'postgres') });
    await holder.connect();
    try {
      await holder.query(`CREATE DATABASE ${quoteIdent(stale)}`);
      await holder.query(
        `ALTER DATABASE ${quoteIdent(stale)} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`,
      );
      // Hold the template lock so both builders (separate admin connections, as from two
      // processes) provably find no template and queue behind the lock at the same time.
      // The racers start only once the holder has the lock: another test process building a
      // template may hold it now, and a racer granted it first would build with no one queued.
      let release: () => void = () => undefined;
      let holding: () => void = () => undefined;
      const locked = new Promise<void>((resolve) => (holding = resolve));
      const held = withAdvisoryLock(holder, TEMPLATE_LOCK_KEY, () => {
        holding();
        return new Promise<void>((resolve) => (release = resolve));
      });
      await locked;
      const build = () => buildTemplate(racers.toString(), ['notifier'], name);
      const both = Promise.all([build(), build()]);
      await expectEventually(
        async () => {
          const { rows } = await holder.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a USING (pid)
              WHERE l.locktype = 'advisory' AND NOT l.granted AND a.application_name = $1`,
            [`oo-race-${suffix}`],
          );
          expect(rows[0]?.n).toBe(2);
        },
        { timeoutMs: 5000 },
      );
      release();
      await held;

      await both;

      expect(await databasesNamed(name)).toEqual([name]);
      const template = await holder.query<{ datistemplate: boolean; datallowconn: boolean }>(
        'SELECT datistemplate, datallowconn FROM pg_database WHERE datname = $1',
        [name],
      );
      expect(template.rows).toEqual([{ datistemplate: true, datallowconn: false }]);
      expect(await databasesNamed(stale)).toEqual([]);
      // Applied once: a clone holds one row per migration.
      const clone = `oo_test_race_${suffix}`;
      await holder.query(`CREATE DATABASE ${quoteIdent(clone)} TEMPLATE ${quoteIdent(name)}`);
      try {
        const rows = await query<{ migration_name: string }>(
          withDatabase(server, clone),
          'SELECT migration_name FROM notifier._prisma_migrations',
        );
        expect(rows.map((row) => row.migration_name)).toEqual([...NOTIFIER_MIGRATIONS]);
      } finally {
        await holder.query(`DROP DATABASE ${quoteIdent(clone)}`);
      }
    } finally {
      await withAdminClient(server, async (admin) => {
        for (const leftover of [...(await databasesNamed(name)), ...(await databasesNamed(stale))])
          await dropTemplate(admin, leftover);
      });
      await holder.end();
    }
  });
});
