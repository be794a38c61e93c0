import { PrismaPg } from '@prisma/adapter-pg';

import { quoteIdent } from '../config/quote-ident.js';

/**
 * The driver adapter a service passes to its generated Prisma client:
 * `new PrismaClient({ adapter: createPrismaAdapter(env.DATABASE_URL, 'auth') })`.
 *
 * Binds both halves of Prisma to the service's schema: model queries are qualified with it
 * (the adapter's `schema` option) and raw SQL (`$executeRaw`, {@link markProcessed}) finds
 * its tables through the connection's search_path. Sessions run in UTC (see below).
 */
export function createPrismaAdapter(connectionString: string, schema: string): PrismaPg {
  return new PrismaPg(
    // UTC: the adapter sends a Date as a wall-clock time without an offset and reads
    // timestamptz back as UTC, which is right only when the session's time zone is UTC (a
    // managed Postgres may default to another).
    { connectionString, options: `-c search_path=${quoteIdent(schema)} -c timezone=UTC` },
    { schema },
  );
}
