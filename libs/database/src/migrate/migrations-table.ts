import { randomUUID } from 'node:crypto';

import type { ClientBase } from 'pg';

import { quoteIdent } from '../config/quote-ident.js';

/** One row of `_prisma_migrations`, as Prisma's schema engine reads it. */
export interface AppliedMigrationRow {
  readonly id: string;
  readonly checksum: string;
  readonly migrationName: string;
  readonly startedAt: Date;
  readonly finishedAt: Date | null;
  readonly rolledBackAt: Date | null;
  readonly logs: string | null;
  readonly appliedStepsCount: number;
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

/** All rows, oldest first, as Prisma orders them. */
export async function readMigrationRows(
  client: ClientBase,
  schema: string,
): Promise<AppliedMigrationRow[]> {
  const result = await client.query<{
    id: string;
    checksum: string;
    migration_name: string;
    started_at: Date;
    finished_at: Date | null;
    rolled_back_at: Date | null;
    logs: string | null;
    applied_steps_count: number;
  }>(`SELECT * FROM ${table(schema)} ORDER BY started_at ASC`);
  return result.rows.map((row) => ({
    id: row.id,
    checksum: row.checksum,
    migrationName: row.migration_name,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    rolledBackAt: row.rolled_back_at,
    logs: row.logs,
    appliedStepsCount: row.applied_steps_count,
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
