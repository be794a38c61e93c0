import { PrismaPg } from '@prisma/adapter-pg';

import { quoteIdent } from '../config/quote-ident.js';

/**
 * The driver adapter a service passes to its generated Prisma client:
 * `new PrismaClient({ adapter: createPrismaAdapter(env.DATABASE_URL, 'auth') })`.
 *
 * Binds both halves of Prisma to the service's schema: model queries are qualified with it
 * (the adapter's `schema` option) and raw SQL (`$executeRaw`, {@link markProcessed}) finds
 * its tables through the connection's search_path.
 */
export function createPrismaAdapter(connectionString: string, schema: string): PrismaPg {
  return new PrismaPg(
    { connectionString, options: `-c search_path=${quoteIdent(schema)}` },
    { schema },
  );
}
