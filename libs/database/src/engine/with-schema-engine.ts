import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm/schema_engine_bg';

import { quoteIdent } from '../config/quote-ident.js';
import { CharAsTextClient } from './char-as-text-client.js';
import { lastSchemaEnginePanic, loadSchemaEngine } from './load-schema-engine.js';

export interface SchemaEngineConnection {
  /** A database the engine may connect to; plain diffs read nothing from it. */
  readonly connectionString: string;
  /** The Postgres schema the engine treats as "the" schema (introspection target). */
  readonly schema: string;
}

/**
 * Runs `fn` with a wasm schema engine connected through @prisma/adapter-pg, and frees the
 * engine afterwards. The engine connects on creation even for pure datamodel diffs, so a
 * reachable Postgres is needed, but no network and no native binary.
 */
export async function withSchemaEngine<T>(
  connection: SchemaEngineConnection,
  fn: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const glue = await loadSchemaEngine();
  // Our own pool, so its connections are closed when we are done whatever the engine does.
  // The engine introspects the adapter's `schema` but runs its own statements (migrations,
  // _prisma_migrations) unqualified, so the search_path must point at the same schema.
  const pool = new pg.Pool({
    connectionString: connection.connectionString,
    Client: CharAsTextClient,
    options: `-c search_path=${quoteIdent(connection.schema)}`,
    max: 2,
  });
  try {
    const factory = new PrismaPg(pool, { schema: connection.schema });
    const engine = await glue.SchemaEngine.new(
      { datamodels: undefined },
      () => undefined,
      bindMigrationAwareSqlAdapterFactory(factory),
    );
    try {
      return await fn(engine);
    } finally {
      engine.free();
    }
  } catch (error) {
    throw withPanic(error);
  } finally {
    await pool.end();
  }
}

function withPanic(error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  const panic = lastSchemaEnginePanic();
  return new Error(`Prisma schema engine: ${message}${panic ? `\n${panic}` : ''}`, {
    cause: error,
  });
}
