import { expectEventually, testInfrastructure } from '@oo/testing';
import pg from 'pg';

import {
  applyMigrations,
  createTestDatabase,
  FailedMigrationFoundError,
  MigrationChecksumMismatchError,
  MigrationFailedError,
  type TestDatabase,
} from '../src/index.js';
import { quoteIdent } from '../src/config/quote-ident.js';
import { migrationChecksum } from '../src/migrate/checksum.js';
import { withMigrationLock } from '../src/migrate/migration-lock.js';
import { createTempMigrations, type TempMigrations } from './support/temp-migrations.js';

const CREATE_A = 'CREATE TABLE a (id INTEGER PRIMARY KEY);\n';
const CREATE_B =
  'CREATE TABLE b (id INTEGER PRIMARY KEY, a_id INTEGER REFERENCES a (id));\nCREATE INDEX b_a_id_idx ON b (a_id);\n';

let db: TestDatabase;
let client: pg.Client;
let migrations: TempMigrations;
let schemaCounter = 0;

/** Each test migrates its own schema of this file's own database. */
function freshSchema(): string {
  schemaCounter += 1;
  return `m${schemaCounter}`;
}

beforeAll(async () => {
  db = await createTestDatabase({
    services: [],
    connectionString: (await testInfrastructure()).databaseUrl,
  });
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
});

afterAll(async () => {
  await client?.end();
  await db?.drop();
});

beforeEach(async () => {
  migrations = await createTempMigrations();
  await migrations.write('20260101000000_create_a', CREATE_A);
  await migrations.write('20260102000000_create_b', CREATE_B);
});

afterEach(async () => {
  await migrations.remove();
});

async function rows(schema: string) {
  const result = await client.query(
    `SELECT * FROM ${quoteIdent(schema)}._prisma_migrations ORDER BY started_at`,
  );
  return result.rows as Array<Record<string, unknown>>;
}

async function tables(schema: string): Promise<string[]> {
  const result = await client.query<{ table_name: string }>(
    'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
    [schema],
  );
  return result.rows.map((row) => row.table_name);
}

describe('applyMigrations', () => {
  it('creates the schema, applies migrations in order inside it and records Prisma rows', async () => {
    const schema = freshSchema();

    const applied = await applyMigrations({
      connectionString: db.url,
      schema,
      migrationsDir: migrations.dir,
    });

    expect(applied).toEqual(['20260101000000_create_a', '20260102000000_create_b']);
    expect(await tables(schema)).toEqual(['_prisma_migrations', 'a', 'b']);
    const recorded = await rows(schema);
    expect(recorded.map((row) => row['migration_name'])).toEqual(applied);
    for (const [index, row] of recorded.entries()) {
      expect(row['id']).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
      expect(row['checksum']).toBe(migrationChecksum([CREATE_A, CREATE_B][index] ?? ''));
      expect(row['applied_steps_count']).toBe(1);
      expect(row['logs']).toBeNull();
      expect(row['rolled_back_at']).toBeNull();
      expect((row['finished_at'] as Date).getTime()).toBeGreaterThanOrEqual(
        (row['started_at'] as Date).getTime(),
      );
    }
  });

  it('is idempotent: a second run applies nothing and records nothing', async () => {
    const schema = freshSchema();
    await applyMigrations({ connectionString: db.url, schema, migrationsDir: migrations.dir });

    const again = await applyMigrations({
      connectionString: db.url,
      schema,
      migrationsDir: migrations.dir,
    });

    expect(again).toEqual([]);
    expect(await rows(schema)).toHaveLength(2);
  });

  it('applies only migrations added since the last run', async () => {
    const schema = freshSchema();
    await applyMigrations({ connectionString: db.url, schema, migrationsDir: migrations.dir });
    await migrations.write('20260103000000_create_c', 'CREATE TABLE c (id INTEGER);\n');

    const applied = await applyMigrations({
      connectionString: db.url,
      schema,
      migrationsDir: migrations.dir,
    });

    expect(applied).toEqual(['20260103000000_create_c']);
  });

  it('lets concurrent migrators apply each migration exactly once', async () => {
    const schema = freshSchema();
    // Hold the migration lock so both migrators are provably queued behind it at once.
    const holder = new pg.Client({ connectionString: db.url });
    await holder.connect();
    try {
      let release: () => void = () => undefined;
      const held = withMigrationLock(
        holder,
        () => new Promise<void>((resolve) => (release = resolve)),
      );
      const run = () =>
        applyMigrations({ connectionString: db.url, schema, migrationsDir: migrations.dir });
      const both = Promise.all([run(), run()]);
      // Both migrators wait for the lock.
      await expectEventually(
        async () => {
          const waiting = await client.query(
            "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
          );
          expect((waiting.rows[0] as { n: number }).n).toBe(2);
        },
        { timeoutMs: 5000 },
      );
      release();
      await held;

      const [first, second] = await both;

      expect([...first, ...second].sort()).toEqual([
        '20260101000000_create_a',
        '20260102000000_create_b',
      ]);
      expect([first.length, second.length].sort()).toEqual([0, 2]);
      expect(await rows(schema)).toHaveLength(2);
    } finally {
      await holder.end();
    }
  });

  it('refuses to run when an applied migration was edited, naming it', async () => {
    const schema = freshSchema();
    await applyMigrations({ connectionString: db.url, schema, migrationsDir: migrations.dir });
    await migrations.write('20260101000000_create_a', 'CREATE TABLE a (id BIGINT PRIMARY KEY);\n');
    await migrations.write('20260103000000_create_c', 'CREATE TABLE c (id INTEGER);\n');

    const run = applyMigrations({
      connectionString: db.url,
      schema,
      migrationsDir: migrations.dir,
    });

    await expect(run).rejects.toThrow(MigrationChecksumMismatchError);
    await expect(run).rejects.toThrow(/20260101000000_create_a/);
    expect(await tables(schema)).not.toContain('c');
  });

  it('does not count a change of line endings as an edit', async () => {
    const schema = freshSchema();
    await applyMigrations({ connectionString: db.url, schema, migrationsDir: migrations.dir });
    await migrations.write('20260102000000_create_b', CREATE_B.replaceAll('\n', '\r\n'));

    await expect(
      applyMigrations({ connectionString: db.url, schema, migrationsDir: migrations.dir }),
    ).resolves.toEqual([]);
  });

  it('rolls a failing migration back whole, records the attempt as rolled back, and retries it once fixed', async () => {
    const schema = freshSchema();
    await migrations.write(
      '20260103000000_broken',
      'CREATE TABLE c (id INTEGER);\nSELECT no_such_function();\n',
    );

    const run = applyMigrations({
      connectionString: db.url,
      schema,
      migrationsDir: migrations.dir,
    });

    await expect(run).rejects.toThrow(MigrationFailedError);
    await expect(run).rejects.toThrow(/20260103000000_broken.*no_such_function/s);
    expect(await tables(schema)).not.toContain('c');
    const attempt = (await rows(schema)).find(
      (row) => row['migration_name'] === '20260103000000_broken',
    );
    expect(attempt).toMatchObject({ finished_at: null, applied_steps_count: 0 });
    expect(attempt?.['rolled_back_at']).toBeInstanceOf(Date);

    await migrations.write('20260103000000_broken', 'CREATE TABLE c (id INTEGER);\n');
    await expect(
      applyMigrations({ connectionString: db.url, schema, migrationsDir: migrations.dir }),
    ).resolves.toEqual(['20260103000000_broken']);
  });

  it("reports the migration's own error when the connection drops during it", async () => {
    const schema = freshSchema();
    await migrations.write(
      '20260103000000_disconnects',
      'CREATE TABLE c (id INTEGER);\nSELECT pg_terminate_backend(pg_backend_pid());\n',
    );

    const run = applyMigrations({
      connectionString: db.url,
      schema,
      migrationsDir: migrations.dir,
    });

    // Neither the ROLLBACK nor recording the attempt can run on the dead connection; the
    // error names the migration and what killed it, not the failed bookkeeping.
    await expect(run).rejects.toThrow(MigrationFailedError);
    await expect(run).rejects.toThrow(/20260103000000_disconnects.*terminat/s);
    expect(await tables(schema)).not.toContain('c');
  });

  it('refuses to continue past an unresolved failure left by Prisma, naming it', async () => {
    const schema = freshSchema();
    await applyMigrations({ connectionString: db.url, schema, migrationsDir: migrations.dir });
    // What `prisma migrate deploy` leaves behind when a script fails half-way.
    await client.query(
      `INSERT INTO ${quoteIdent(schema)}._prisma_migrations (id, checksum, migration_name, logs, started_at)
       VALUES (gen_random_uuid()::text, $1, '20260103000000_half_done', 'boom', now())`,
      [migrationChecksum('x')],
    );
    await migrations.write('20260104000000_next', 'CREATE TABLE d (id INTEGER);\n');

    const run = applyMigrations({
      connectionString: db.url,
      schema,
      migrationsDir: migrations.dir,
    });

    await expect(run).rejects.toThrow(FailedMigrationFoundError);
    await expect(run).rejects.toThrow(/20260103000000_half_done/);
    expect(await tables(schema)).not.toContain('d');
  });
});
