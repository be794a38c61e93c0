import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

import pg from 'pg';

import { dropDatabase, withAdminClient } from '../admin/database-admin.js';
import { resolveDatabaseUrl, withDatabase } from '../config/database-url.js';
import { quoteIdent } from '../config/quote-ident.js';
import { servicePrismaPaths, workspaceRoot, type DatabaseService } from '../config/services.js';
import { diffDatabaseToSchemaFile, isEmptyDiff } from '../engine/schema-diff.js';
import { applyMigrations } from '../migrate/apply-migrations.js';
import { readMigrationFiles } from '../migrate/migration-files.js';
import { migrationTimestamp, toMigrationName } from './migration-name.js';

export interface PlanNextMigrationOptions {
  readonly service: DatabaseService;
  /** Free text, turned into snake_case: `add_tips_table`. */
  readonly name: string;
  /** The Postgres server for the scratch database; default DATABASE_URL (database part ignored). */
  readonly connectionString?: string;
  /** Workspace root; default the one this file lives in. */
  readonly root?: string;
  /** Clock for the folder's timestamp. */
  readonly now?: Date;
}

export type PlannedMigration =
  | { readonly written: true; readonly name: string; readonly path: string; readonly sql: string }
  | { readonly written: false; readonly reason: string };

/**
 * Writes `services/<svc>/prisma/migrations/<UTC timestamp>_<name>/migration.sql` holding the
 * SQL that takes the database the existing migrations produce to the current schema.prisma.
 *
 * Offline, without Prisma's native engine: the existing migrations are applied by our own
 * migrator into a throw-away database, the wasm schema engine diffs that live schema against
 * schema.prisma, and the result is checked by applying it too and diffing again, which must
 * give nothing. Writes nothing when schema.prisma and the migrations already agree.
 */
export async function planNextMigration(
  options: PlanNextMigrationOptions,
): Promise<PlannedMigration> {
  const root = options.root ?? workspaceRoot();
  const paths = servicePrismaPaths(options.service, root);
  const name = `${migrationTimestamp(options.now ?? new Date())}_${toMigrationName(options.name)}`;

  const sql = await withScratchDatabase(
    options.connectionString ?? resolveDatabaseUrl(),
    async (url) => {
      await applyMigrations({
        connectionString: url,
        schema: options.service,
        migrationsDir: paths.migrationsDir,
      });
      const script = await diffDatabaseToSchemaFile(
        { connectionString: url, schema: options.service },
        paths.schemaPath,
      );
      if (isEmptyDiff(script)) return null;
      await verifyClosesTheGap(url, options.service, script, paths.schemaPath);
      return script;
    },
  );
  if (sql === null) {
    return {
      written: false,
      reason: `${options.service}: schema.prisma already matches its migrations; nothing to write`,
    };
  }
  const last = (await readMigrationFiles(paths.migrationsDir)).at(-1);
  if (last && last.name >= name) {
    throw new Error(
      `Migration ${name} would not sort after the latest one, ${last.name}; check the clock`,
    );
  }

  const dir = join(paths.migrationsDir, name);
  await mkdir(paths.migrationsDir, { recursive: true });
  await mkdir(dir);
  const path = join(dir, 'migration.sql');
  await writeFile(path, sql.endsWith('\n') ? sql : `${sql}\n`, { flag: 'wx' });
  return { written: true, name, path: relative(root, path), sql };
}

/** Applies the planned script on top and diffs again: a correct plan leaves nothing to do. */
async function verifyClosesTheGap(
  url: string,
  schema: string,
  script: string,
  schemaPath: string,
): Promise<void> {
  await runInSchema(url, schema, script);
  const rest = await diffDatabaseToSchemaFile({ connectionString: url, schema }, schemaPath);
  if (!isEmptyDiff(rest)) {
    throw new Error(
      `The planned migration does not reach schema.prisma; the engine still wants:\n${rest}`,
    );
  }
}

async function runInSchema(url: string, schema: string, script: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`SET search_path TO ${quoteIdent(schema)}`);
    await client.query(script);
  } finally {
    await client.end();
  }
}

async function withScratchDatabase<T>(server: string, fn: (url: string) => Promise<T>): Promise<T> {
  const name = `oo_plan_${randomBytes(5).toString('hex')}`;
  await withAdminClient(server, (admin) => admin.query(`CREATE DATABASE ${quoteIdent(name)}`));
  try {
    return await fn(withDatabase(server, name));
  } finally {
    await withAdminClient(server, (admin) => dropDatabase(admin, name));
  }
}
