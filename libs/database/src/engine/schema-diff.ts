import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';

import type {
  DiffTarget,
  SchemaEngine,
  SchemasContainer,
} from '@prisma/schema-engine-wasm/schema_engine_bg';

import { maintenanceUrl, resolveDatabaseUrl } from '../config/database-url.js';
import { withSchemaEngine } from './with-schema-engine.js';

const NO_FILTERS = { externalTables: [], externalEnums: [] };

/** Where to reach a Postgres server the engine may connect to; DATABASE_URL (or the default) otherwise. */
export interface EngineServerOptions {
  readonly connectionString?: string;
}

/**
 * The SQL that creates the datamodel of a schema.prisma in an empty schema, without schema
 * names (so it runs in whichever schema the search path selects), like the first migration
 * `prisma migrate dev` would write. Needs a reachable Postgres server but reads nothing from it.
 */
export async function fromEmptySql(
  schemaPrismaPath: string,
  options: EngineServerOptions = {},
): Promise<string> {
  const schema = await readSchemaFile(schemaPrismaPath);
  return withSchemaEngine({ connectionString: serverUrl(options), schema: 'public' }, (engine) =>
    diffScript(engine, { tag: 'empty' }, { tag: 'schemaDatamodel', ...schema }),
  );
}

/**
 * The SQL that turns what is in `schema` of a live database into the datamodel of a
 * schema.prisma (what `prisma migrate diff --from-config-datasource --to-schema` prints).
 */
export async function diffDatabaseToSchemaFile(
  database: { readonly connectionString: string; readonly schema: string },
  schemaPrismaPath: string,
): Promise<string> {
  const to = await readSchemaFile(schemaPrismaPath);
  return withSchemaEngine(database, (engine) =>
    diffScript(
      engine,
      { tag: 'schemaDatasource', configDir: process.cwd(), ...to },
      { tag: 'schemaDatamodel', ...to },
    ),
  );
}

/** Whether a diff script has no step in it. */
export function isEmptyDiff(script: string): boolean {
  return stripComments(script).trim().length === 0;
}

async function diffScript(engine: SchemaEngine, from: DiffTarget, to: DiffTarget): Promise<string> {
  const result = await engine.diff({ from, to, script: true, exitCode: null, filters: NO_FILTERS });
  return withoutCreateSchema(result.stdout ?? '');
}

/**
 * The engine prefixes a diff from nothing with `CREATE SCHEMA IF NOT EXISTS "<schema>"`.
 * Migrations must not name their schema (the migrator creates and selects it), or applying
 * them into a scratch schema would also create the real one.
 */
function withoutCreateSchema(script: string): string {
  return script.replace(
    /^-- CreateSchema\r?\nCREATE SCHEMA IF NOT EXISTS "[^"]+";\r?\n(\r?\n)?/m,
    '',
  );
}

function stripComments(script: string): string {
  return script.replace(/^\s*--.*$/gm, '');
}

async function readSchemaFile(path: string): Promise<SchemasContainer> {
  return { files: [{ path: basename(path), content: await readFile(path, 'utf8') }] };
}

function serverUrl(options: EngineServerOptions): string {
  return maintenanceUrl(options.connectionString ?? resolveDatabaseUrl());
}
