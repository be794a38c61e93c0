import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { migrationChecksum } from './checksum.js';

/** A migration folder as Prisma lays it out: `<timestamp>_<name>/migration.sql`. */
export interface MigrationFile {
  /** The folder name, which is also `_prisma_migrations.migration_name`. */
  readonly name: string;
  readonly sql: string;
  readonly checksum: string;
}

const MIGRATION_FOLDER = /^\d{14}_[a-z0-9_]+$/;

/**
 * Reads every migration in `migrationsDir`, ordered by folder name (timestamps sort
 * lexically). A missing directory means no migrations; a folder that does not look like a
 * migration, or lacks migration.sql, is an error rather than something to skip silently.
 */
export async function readMigrationFiles(migrationsDir: string): Promise<MigrationFile[]> {
  let entries;
  try {
    entries = await readdir(migrationsDir, { withFileTypes: true });
  } catch (error) {
    if (isNotFound(error)) return [];
    throw error;
  }
  const folders = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const files: MigrationFile[] = [];
  for (const name of folders) {
    if (!MIGRATION_FOLDER.test(name)) {
      throw new Error(
        `${join(migrationsDir, name)} is not a migration folder (expected <YYYYMMDDHHMMSS>_<snake_name>)`,
      );
    }
    const sql = await readFile(join(migrationsDir, name, 'migration.sql'), 'utf8');
    files.push({ name, sql, checksum: migrationChecksum(sql) });
  }
  return files;
}

function isNotFound(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}
