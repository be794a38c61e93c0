import pg from 'pg';

import { quoteIdent } from '../../src/config/quote-ident.js';
import { applyMigrations, dumpSchema, fromEmptySql } from '../../src/index.js';

export interface DriftDumps {
  /** The schema the migrations build. */
  readonly migrated: string;
  /** The schema schema.prisma describes, built from nothing. */
  readonly declared: string;
}

/**
 * Builds a service's schema twice in `url`, once by applying its migrations and once from
 * schema.prisma alone, and returns both normalized `pg_dump`s. They must be equal.
 *
 * Views are left out: schema.prisma cannot declare them, so a migration writes them by hand
 * (the recommender's metrics views) and the planner neither creates nor drops them. They are
 * dropped from the migrated copy before the dump (excluding them from pg_dump would still
 * let them reorder the tables they read).
 */
export async function driftDumps(
  url: string,
  label: string,
  migrationsDir: string,
  schemaPath: string,
): Promise<DriftDumps> {
  const migratedSchema = `drift_m_${label}`;
  const declaredSchema = `drift_d_${label}`;
  await applyMigrations({ connectionString: url, schema: migratedSchema, migrationsDir });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const views = await client.query<{ name: string }>(
      'SELECT table_name AS name FROM information_schema.views WHERE table_schema = $1',
      [migratedSchema],
    );
    for (const { name } of views.rows) {
      await client.query(
        `DROP VIEW IF EXISTS ${quoteIdent(migratedSchema)}.${quoteIdent(name)} CASCADE`,
      );
    }
    await client.query(`CREATE SCHEMA ${quoteIdent(declaredSchema)}`);
    await client.query(`SET search_path TO ${quoteIdent(declaredSchema)}`);
    await client.query(await fromEmptySql(schemaPath, { connectionString: url }));
  } finally {
    await client.end();
  }
  return {
    migrated: await dumpSchema(url, migratedSchema),
    declared: await dumpSchema(url, declaredSchema),
  };
}
