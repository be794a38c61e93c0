import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { testInfrastructure } from '@oo/testing';

import { servicePrismaPaths } from '../src/config/services.js';
import { createTestDatabase, DATABASE_SERVICES, type TestDatabase } from '../src/index.js';
import { driftDumps } from './support/drift.js';

// CI's proof that every service's migrations and schema.prisma describe the same tables:
// editing schema.prisma without `npm run db:new-migration` fails here.
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

describe('migrations match schema.prisma', () => {
  it.each(DATABASE_SERVICES)('%s', async (service) => {
    const { migrationsDir, schemaPath } = servicePrismaPaths(service);

    const { migrated, declared } = await driftDumps(db.url, service, migrationsDir, schemaPath);

    expect(migrated).toContain('CREATE TABLE <schema>.processed_event');
    expect(migrated).toEqual(declared);
  });

  it('catches a schema.prisma edited without a migration', async () => {
    const { migrationsDir, schemaPath } = servicePrismaPaths('auth');
    const dir = await mkdtemp(join(tmpdir(), 'oo-drift-'));
    try {
      const edited = join(dir, 'schema.prisma');
      await copyFile(schemaPath, edited);
      const original = await readFile(edited, 'utf8');
      await writeFile(
        edited,
        original.replace(
          '@@map("processed_event")',
          '@@index([processedAt])\n  @@map("processed_event")',
        ),
      );

      const { migrated, declared } = await driftDumps(db.url, 'auth_edited', migrationsDir, edited);

      expect(migrated).not.toEqual(declared);
      expect(declared).toContain('processed_event_processed_at_idx');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
