// Configuration for the Prisma CLI (`prisma generate`; `prisma migrate status` where a
// native schema engine exists). Our own migrator applies the migrations: see libs/database.
import { defineConfig } from 'prisma/config';

const DEFAULT_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/oo';

function withSchema(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('schema', schema);
  return parsed.toString();
}

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  // The CLI finds this service's tables and _prisma_migrations in its own schema.
  datasource: {
    url: withSchema(process.env['DATABASE_URL'] || DEFAULT_DATABASE_URL, 'integrations'),
  },
});
