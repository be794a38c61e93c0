// The Prisma CLI configuration every service's prisma.config.ts returns. The CLI loads that
// file with its own TypeScript loader, which ignores our `oo-source` export condition: workspace
// packages (`@oo/config`) do not resolve there, so this file imports by relative path only.
import { defineConfig, type PrismaConfig } from 'prisma/config';

// eslint-disable-next-line @nx/enforce-module-boundaries -- the CLI cannot resolve @oo/config (see above)
import { DEFAULT_DATABASE_URL } from '../../../config/src/env.ts';

/**
 * `prisma generate` (and `prisma migrate status` where a native schema engine exists) for one
 * service: its schema.prisma and migrations, and DATABASE_URL with the service's schema
 * selected, where the CLI finds its tables and `_prisma_migrations`. Our own migrator applies
 * the migrations: see libs/database.
 */
export function servicePrismaConfig(service: string): PrismaConfig {
  const url = new URL(process.env['DATABASE_URL']?.trim() || DEFAULT_DATABASE_URL);
  url.searchParams.set('schema', service);
  return defineConfig({
    schema: 'prisma/schema.prisma',
    migrations: { path: 'prisma/migrations' },
    datasource: { url: url.toString() },
  });
}
