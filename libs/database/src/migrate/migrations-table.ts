import { randomUUID } from 'node:crypto';

import type { ClientBase } from 'pg';

import { quoteIdent } from '../config/quote-ident.js';

/** What the migrator reads of a `_prisma_migrations` row to decide what is left to apply. */
export interface AppliedMigrationRow {
  readonly checksum: string;
  readonly migrationName: string;
  readonly finishedAt: Date | null;
  readonly rolledBackAt: Date | null;
}

/**
 * The exact table Prisma's schema engine creates on Postgres (column names, types, defaults
 * and primary key), so `prisma migrate deploy/status` later treat our rows as their own.
 * The integration test compares it with the one the real engine creates.
 */
export async function ensureMigrationsTable(client: ClientBase, schema: string): Promise<void> {
  await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
  await client.query(`
    CREATE TABLE IF NOT EXISTS ${table(schema)} (
      "id"                  VARCHAR(36) PRIMARY KEY NOT NULL,
      "checksum"            VARCHAR(64) NOT NULL,
      "finished_at"         TIMESTAMPTZ,
      "migration_name"      VARCHAR(255) NOT NULL,
      "logs"                TEXT,
      "rolled_back_at"      TIMESTAMPTZ,
      "started_at"          TIMESTAMPTZ NOT NULL DEFAULT now(),
      "applied_steps_count" INTEGER NOT NULL DEFAULT 0
    )`);
}

/** Every row (the columns the migrator needs), oldest first, as Prisma orders them. */
export async function readMigrationRows(
  client: ClientBase,
  schema: string,
): Promise<AppliedMigrationRow[]> {
  const result = await client.query<{
    checksum: string;
    migration_name: string;
    finished_at: Date | null;
    rolled_back_at: Date | null;
  }>(
    `SELECT checksum, migration_name, finished_at, rolled_back_at FROM ${table(schema)} ORDER BY started_at ASC`,
  );
  return result.rows.map((row) => ({
    checksum: row.checksum,
    migrationName: row.migration_name,
    finishedAt: row.finished_at,
    rolledBackAt: row.rolled_back_at,
  }));
}

/** Starts a row the way Prisma does before running a script: started, no step applied yet. */
export async function insertStartedRow(
  client: ClientBase,
  schema: string,
  name: string,
  checksum: string,
): Promise<string> {
  const id = randomUUID();
  await client.query(
    `INSERT INTO ${table(schema)} (id, checksum, migration_name, started_at) VALUES ($1, $2, $3, clock_timestamp())`,
    [id, checksum, name],
  );
  return id;
}

/** Postgres applies a whole script as one step, so a finished migration has one applied step. */
export async function markRowFinished(
  client: ClientBase,
  schema: string,
  id: string,
): Promise<void> {
  await client.query(
    `UPDATE ${table(schema)} SET finished_at = clock_timestamp(), applied_steps_count = 1 WHERE id = $1`,
    [id],
  );
}

/**
 * Records a failed attempt whose transaction rolled back. It is written already marked
 * rolled back (what `prisma migrate resolve --rolled-back` would write), because nothing of
 * it remains in the database: Prisma ignores such rows except as an audit trail, and the
 * next run retries the migration.
 */
export async function insertRolledBackAttempt(
  client: ClientBase,
  schema: string,
  name: string,
  checksum: string,
  logs: string,
): Promise<void> {
  await client.query(
    `INSERT INTO ${table(schema)} (id, checksum, migration_name, logs, started_at, rolled_back_at)
     VALUES ($1, $2, $3, $4, clock_timestamp(), clock_timestamp())`,
    [randomUUID(), checksum, name, logs],
  );
}

function table(schema: string): string {
  return `${quoteIdent(schema)}."_prisma_migrations"`;
}
