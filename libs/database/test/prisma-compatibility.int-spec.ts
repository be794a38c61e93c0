import { testInfrastructure } from '@oo/testing';
import pg from 'pg';

import { quoteIdent } from '../src/config/quote-ident.js';
import { servicePrismaPaths } from '../src/config/services.js';
import { engineMigrationList } from '../src/engine/engine-migration-list.js';
import { withSchemaEngine } from '../src/engine/with-schema-engine.js';
import { applyMigrations, createTestDatabase, type TestDatabase } from '../src/index.js';
import { dumpTable } from './support/dump-table.js';
import { createTempMigrations, type TempMigrations } from './support/temp-migrations.js';

// Prisma's own schema engine (the wasm build, through the pg adapter) is the judge here:
// whatever it accepts, `prisma migrate deploy/status` accepts too.
const NO_FILTERS = { externalTables: [], externalEnums: [] };

let db: TestDatabase;
let migrations: TempMigrations;

beforeAll(async () => {
  db = await createTestDatabase({
    services: [],
    connectionString: (await testInfrastructure()).databaseUrl,
  });
  migrations = await createTempMigrations();
  await migrations.write('20260101000000_create_a', 'CREATE TABLE a (id INTEGER PRIMARY KEY);\n');
  await migrations.write(
    '20260102000000_create_b',
    'CREATE TABLE b (id INTEGER PRIMARY KEY, note TEXT);\n',
  );
});

afterAll(async () => {
  await migrations?.remove();
  await db?.drop();
});

describe('Prisma compatibility of the migrations table', () => {
  it('is read by the schema engine as a clean, up-to-date history', async () => {
    await applyMigrations({
      connectionString: db.url,
      schema: 'ours',
      migrationsDir: migrations.dir,
    });
    const migrationsList = await engineMigrationList(migrations.dir);

    const diagnosis = await withSchemaEngine(
      { connectionString: db.url, schema: 'ours' },
      (engine) =>
        engine.diagnoseMigrationHistory({
          migrationsList,
          optInToShadowDatabase: false,
          filters: NO_FILTERS,
        }),
    );
    const reapplied = await withSchemaEngine(
      { connectionString: db.url, schema: 'ours' },
      (engine) => engine.applyMigrations({ migrationsList, filters: NO_FILTERS }),
    );

    expect(diagnosis).toEqual({
      editedMigrationNames: [],
      failedMigrationNames: [],
      hasMigrationsTable: true,
      history: null,
    });
    expect(reapplied.appliedMigrationNames).toEqual([]);
  });

  it('has the table definition and checksums the schema engine itself writes', async () => {
    await applyMigrations({
      connectionString: db.url,
      schema: 'ours2',
      migrationsDir: migrations.dir,
    });
    const migrationsList = await engineMigrationList(migrations.dir);
    await withSchemaEngine({ connectionString: db.url, schema: 'theirs' }, (engine) =>
      engine.applyMigrations({ migrationsList, filters: NO_FILTERS }),
    );

    expect(await dumpTable(db.url, 'ours2', '_prisma_migrations')).toEqual(
      await dumpTable(db.url, 'theirs', '_prisma_migrations'),
    );
    expect(await recorded('ours2')).toEqual(await recorded('theirs'));
  });

  it('reports a tampered migration to the schema engine as edited', async () => {
    await applyMigrations({
      connectionString: db.url,
      schema: 'ours3',
      migrationsDir: migrations.dir,
    });
    const tampered = await engineMigrationList(migrations.dir);
    const first = tampered.migrationDirectories[0];
    if (first)
      first.migrationFile.content = {
        tag: 'ok',
        value: 'CREATE TABLE a (id BIGINT PRIMARY KEY);\n',
      };

    const diagnosis = await withSchemaEngine(
      { connectionString: db.url, schema: 'ours3' },
      (engine) =>
        engine.diagnoseMigrationHistory({
          migrationsList: tampered,
          optInToShadowDatabase: false,
          filters: NO_FILTERS,
        }),
    );

    expect(diagnosis.editedMigrationNames).toEqual(['20260101000000_create_a']);
  });

  it('applies the real service migrations in a way the engine accepts', async () => {
    const { migrationsDir } = servicePrismaPaths('auth');
    await applyMigrations({ connectionString: db.url, schema: 'auth', migrationsDir });

    const diagnosis = await withSchemaEngine(
      { connectionString: db.url, schema: 'auth' },
      async (engine) =>
        engine.diagnoseMigrationHistory({
          migrationsList: await engineMigrationList(migrationsDir),
          optInToShadowDatabase: false,
          filters: NO_FILTERS,
        }),
    );

    expect(diagnosis.history).toBeNull();
    expect(diagnosis.editedMigrationNames).toEqual([]);
  });
});

describe('withSchemaEngine', () => {
  it("passes the caller's own errors through and names the engine in the engine's", async () => {
    const connection = { connectionString: db.url, schema: 'public' };
    const mine = new Error('not the engine');

    await expect(withSchemaEngine(connection, () => Promise.reject(mine))).rejects.toBe(mine);
    await expect(
      withSchemaEngine(connection, (engine) =>
        engine.diff({
          from: { tag: 'empty' },
          to: { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: 'model {' }] },
          script: true,
          exitCode: null,
          filters: NO_FILTERS,
        }),
      ),
    ).rejects.toThrow(/^Prisma schema engine: /);
  });
});

async function recorded(schema: string) {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    const result = await client.query(
      `SELECT migration_name, checksum, applied_steps_count, logs, rolled_back_at,
              finished_at IS NOT NULL AS finished
         FROM ${quoteIdent(schema)}._prisma_migrations ORDER BY migration_name`,
    );
    return result.rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}
