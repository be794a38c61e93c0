import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm/schema_engine_bg';

import { quoteIdent } from '../config/quote-ident.js';
import { CharAsTextClient } from './char-as-text-client.js';
import {
  clearSchemaEnginePanic,
  lastSchemaEnginePanic,
  loadSchemaEngine,
} from './load-schema-engine.js';

export interface SchemaEngineConnection {
  /** A database the engine may connect to; plain diffs read nothing from it. */
  readonly connectionString: string;
  /** The Postgres schema the engine treats as "the" schema (introspection target). */
  readonly schema: string;
}

/**
 * Runs `fn` with a wasm schema engine connected through @prisma/adapter-pg, and frees the
 * engine afterwards. The engine connects on creation even for pure datamodel diffs, so a
 * reachable Postgres is needed, but no network and no native binary. Errors of the engine
 * (creating it, or any of its methods) read "Prisma schema engine: …" with the panic message
 * if it panicked; errors `fn` throws itself pass through untouched.
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
    const engine = await engineCall(() =>
      glue.SchemaEngine.new(
        { datamodels: undefined },
        () => undefined,
        bindMigrationAwareSqlAdapterFactory(factory),
      ),
    );
    try {
      return await fn(reportingErrors(engine));
    } finally {
      engine.free();
    }
  } finally {
    await pool.end();
  }
}

/** The engine with each method's failure reported by `engineCall` (sync methods stay sync). */
function reportingErrors(engine: SchemaEngine): SchemaEngine {
  return new Proxy(engine, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      return (...args: unknown[]) => engineCall(() => method.apply(target, args));
    },
  });
}

/**
 * Runs one engine call, turning its failure (thrown, or a rejected promise) into an error that
 * names the engine and the panic of this call, if any.
 */
function engineCall<T>(call: () => T): T {
  clearSchemaEnginePanic();
  let result: T;
  try {
    result = call();
  } catch (error) {
    throw engineError(error);
  }
  return result instanceof Promise
    ? (result.catch((error: unknown) => {
        throw engineError(error);
      }) as T)
    : result;
}

function engineError(error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  const panic = lastSchemaEnginePanic();
  return new Error(`Prisma schema engine: ${message}${panic ? `\n${panic}` : ''}`, {
    cause: error,
  });
}
