// Usage: npm run db:migrate [-- <service>...]
// Applies every service's pending migrations (or the named services') to DATABASE_URL,
// default postgresql://postgres@127.0.0.1:5432/oo, creating the database if needed.
import { resolveDatabaseUrl } from '../config/database-url.js';
import { migrateServices } from '../migrate/migrate-services.js';
import { parseServices, runCli } from './cli-args.js';

runCli(async () => {
  await migrateServices({
    connectionString: resolveDatabaseUrl(),
    services: parseServices(process.argv.slice(2)),
    logger: console,
  });
});
