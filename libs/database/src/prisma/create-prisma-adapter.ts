import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';

import { quoteIdent } from '../config/quote-ident.js';

/**
 * A `pg` pool bound to the service's schema (search_path), for a service that gives Prisma and
 * a hot-path reader one pool: `createPrismaAdapter(pool, 'recommender')`. Prisma stays the owner
 * of the schema and of every write; `pg` with a prepared statement only reads where Prisma's
 * query layer costs more than the query (services/recommender/README.md).
 */
export function createServicePool(connectionString: string, schema: string): pg.Pool {
  return new pg.Pool({ connectionString, options: searchPath(schema) });
}

/**
 * The driver adapter a service passes to its generated Prisma client:
 * `new PrismaClient({ adapter: createPrismaAdapter(env.DATABASE_URL, 'auth') })`.
 *
 * Binds both halves of Prisma to the service's schema: model queries are qualified with it
 * (the adapter's `schema` option) and raw SQL (`$executeRaw`, {@link markProcessed}) finds
 * its tables through the connection's search_path; sessions run in UTC. Given a pool from {@link createServicePool}
 * instead of a URL, Prisma uses that pool and ends it on `$disconnect()`.
 */
export function createPrismaAdapter(connection: string | pg.Pool, schema: string): PrismaPg {
  if (typeof connection !== 'string') {
    return new PrismaPg(connection, { schema, disposeExternalPool: true });
  }
  return new PrismaPg({ connectionString: connection, options: searchPath(schema) }, { schema });
}

/**
 * The schema, and UTC: the adapter sends a Date as a wall-clock time without an offset and
 * reads timestamptz back as UTC, which is right only when the session's time zone is UTC (a
 * managed Postgres may default to another).
 */
const searchPath = (schema: string): string =>
  `-c search_path=${quoteIdent(schema)} -c timezone=UTC`;
