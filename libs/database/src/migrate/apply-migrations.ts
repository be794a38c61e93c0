import pg from 'pg';

import { quoteIdent } from '../config/quote-ident.js';
import { matchesChecksum } from './checksum.js';
import {
  FailedMigrationFoundError,
  MigrationChecksumMismatchError,
  MigrationFailedError,
} from './migration-errors.js';
import { readMigrationFiles, type MigrationFile } from './migration-files.js';
import { withMigrationLock } from './migration-lock.js';
import { silentLogger, type MigrationLogger } from './migration-logger.js';
import {
  ensureMigrationsTable,
  insertRolledBackAttempt,
  insertStartedRow,
  markRowFinished,
  readMigrationRows,
  type AppliedMigrationRow,
} from './migrations-table.js';

export interface ApplyMigrationsOptions {
  /** The database to migrate; never logged. */
  readonly connectionString: string;
  /** The Postgres schema the migrations run in (created if missing). */
  readonly schema: string;
  /** Folder of `<timestamp>_<name>/migration.sql` folders. */
  readonly migrationsDir: string;
  readonly logger?: MigrationLogger;
}

/**
 * Applies the migrations of `migrationsDir` not yet applied to `schema`, oldest first, each
 * in its own transaction, recording them in `<schema>._prisma_migrations` exactly as Prisma
 * Migrate does. Holds Prisma's advisory lock throughout, so concurrent migrators (ours or
 * Prisma's) run one after the other and the later one finds nothing left to do.
 *
 * Refuses to start when an applied migration's file changed or an unresolved failure is
 * recorded. Resolves to the names applied, in order (empty when up to date).
 */
export async function applyMigrations(options: ApplyMigrationsOptions): Promise<string[]> {
  const logger = options.logger ?? silentLogger;
  const files = await readMigrationFiles(options.migrationsDir);
  const client = new pg.Client({ connectionString: options.connectionString });
  // A dropped connection also fails the query in flight, which reports it; without a listener
  // the client's 'error' event would crash the process instead.
  client.on('error', (error) =>
    logger.warn(`[${options.schema}] lost the database connection: ${error.message}`),
  );
  await client.connect();
  try {
    return await withMigrationLock(client, async () => {
      await ensureMigrationsTable(client, options.schema);
      const rows = await readMigrationRows(client, options.schema);
      const pending = pendingMigrations(files, rows, options.schema, logger);
      const applied: string[] = [];
      for (const migration of pending) {
        await applyOne(client, options.schema, migration, logger);
        logger.info(`[${options.schema}] applied migration ${migration.name}`);
        applied.push(migration.name);
      }
      if (applied.length === 0)
        logger.info(`[${options.schema}] up to date (${files.length} migrations)`);
      return applied;
    });
  } finally {
    await client.end();
  }
}

/** Checks recorded history against the files and returns what is left to apply. */
function pendingMigrations(
  files: readonly MigrationFile[],
  rows: readonly AppliedMigrationRow[],
  schema: string,
  logger: MigrationLogger,
): MigrationFile[] {
  const failed = rows.find((row) => row.finishedAt === null && row.rolledBackAt === null);
  if (failed) {
    throw new FailedMigrationFoundError(
      `[${schema}] migration ${failed.migrationName} failed earlier and is unresolved: fix the database, then mark the ` +
        `row rolled back (rolled_back_at) or finished before migrating again`,
      failed.migrationName,
    );
  }
  const byName = new Map(files.map((file) => [file.name, file]));
  const appliedNames = new Set<string>();
  for (const row of rows) {
    if (row.finishedAt === null || row.rolledBackAt !== null) continue;
    appliedNames.add(row.migrationName);
    const file = byName.get(row.migrationName);
    if (!file) {
      // Prisma's deploy only warns here too: rolling code back must not block migrations.
      logger.warn(
        `[${schema}] migration ${row.migrationName} is applied but missing from the migrations folder`,
      );
      continue;
    }
    if (!matchesChecksum(file.sql, row.checksum)) {
      throw new MigrationChecksumMismatchError(
        `[${schema}] migration ${row.migrationName} was modified after it was applied: restore its migration.sql and ` +
          `put the change in a new migration`,
        row.migrationName,
      );
    }
  }
  return files.filter((file) => !appliedNames.has(file.name));
}

async function applyOne(
  client: pg.Client,
  schema: string,
  migration: MigrationFile,
  logger: MigrationLogger,
): Promise<void> {
  try {
    await client.query('BEGIN');
    // Migrations are written without schema names; the search path puts them in this schema.
    await client.query(`SET LOCAL search_path TO ${quoteIdent(schema)}`);
    const id = await insertStartedRow(client, schema, migration.name, migration.checksum);
    await client.query(migration.sql);
    await markRowFinished(client, schema, id);
    await client.query('COMMIT');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    // The bookkeeping below fails too when the connection dropped; it must never replace the
    // migration's own error (a lost connection rolls the transaction back anyway).
    await client.query('ROLLBACK').catch(() => undefined);
    try {
      await insertRolledBackAttempt(client, schema, migration.name, migration.checksum, reason);
    } catch (recordError) {
      logger.warn(
        `[${schema}] could not record the failed attempt of ${migration.name}: ${
          recordError instanceof Error ? recordError.message : String(recordError)
        }`,
      );
    }
    throw new MigrationFailedError(
      `[${schema}] migration ${migration.name} failed and was rolled back: ${reason}`,
      migration.name,
      { cause: error },
    );
  }
}
