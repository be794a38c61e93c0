import type { MigrationList } from '@prisma/schema-engine-wasm/schema_engine_bg';

import { readMigrationFiles } from '../migrate/migration-files.js';

/** A migrations folder in the shape the schema engine takes it (it reads no files itself). */
export async function engineMigrationList(migrationsDir: string): Promise<MigrationList> {
  const files = await readMigrationFiles(migrationsDir);
  return {
    baseDir: migrationsDir,
    // The engine needs the provider to know the folder's SQL dialect.
    lockfile: { path: 'migration_lock.toml', content: 'provider = "postgresql"\n' },
    shadowDbInitScript: '',
    migrationDirectories: files.map((file) => ({
      path: file.name,
      migrationFile: { path: 'migration.sql', content: { tag: 'ok', value: file.sql } },
    })),
  };
}
