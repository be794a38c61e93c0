import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { testInfrastructure } from '@oo/testing';

import { servicePrismaPaths } from '../src/config/services.js';
import { createTestDatabase, planNextMigration, type TestDatabase } from '../src/index.js';
import { driftDumps } from './support/drift.js';

// planNextMigration on a copy of the auth service's prisma folder, never the real one.
let root: string;
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase({
    services: [],
    connectionString: (await testInfrastructure()).databaseUrl,
  });
});

afterAll(async () => {
  await db?.drop();
});

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'oo-plan-'));
  await cp(
    join(servicePrismaPaths('auth').serviceDir, 'prisma'),
    join(root, 'services', 'auth', 'prisma'),
    { recursive: true },
  );
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('planNextMigration', () => {
  it('writes nothing when schema.prisma matches the migrations', async () => {
    await expect(
      planNextMigration({ service: 'auth', name: 'noop', root, connectionString: db.url }),
    ).resolves.toMatchObject({ written: false });
  });

  it('writes the migration that takes the existing migrations to the edited schema.prisma', async () => {
    const paths = servicePrismaPaths('auth', root);
    const schema = await readFile(paths.schemaPath, 'utf8');
    await writeFile(
      paths.schemaPath,
      `${schema}\nmodel Session {\n  id        String   @id @db.Uuid\n  userId    String   @map("user_id") @db.Uuid\n  expiresAt DateTime @map("expires_at") @db.Timestamptz(6)\n\n  @@index([userId])\n  @@map("session")\n}\n`,
    );

    const planned = await planNextMigration({
      service: 'auth',
      name: 'Add sessions',
      root,
      connectionString: db.url,
      now: new Date('2026-11-23T09:08:07Z'),
    });

    expect(planned).toMatchObject({ written: true, name: '20261123090807_add_sessions' });
    const sql = await readFile(
      join(paths.migrationsDir, '20261123090807_add_sessions', 'migration.sql'),
      'utf8',
    );
    expect(sql).toContain('CREATE TABLE "session"');
    expect(sql).toContain('CREATE INDEX "session_user_id_idx"');
    expect(sql).not.toMatch(/"auth"\./);
    const { migrated, declared } = await driftDumps(
      db.url,
      'plan',
      paths.migrationsDir,
      paths.schemaPath,
    );
    expect(migrated).toEqual(declared);
    await expect(
      planNextMigration({ service: 'auth', name: 'again', root, connectionString: db.url }),
    ).resolves.toMatchObject({ written: false });
  });
});
