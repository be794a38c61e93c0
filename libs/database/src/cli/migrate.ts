// Usage: npm run db:migrate [-- <service>...]
// Applies every service's pending migrations (or the named services') to DATABASE_URL,
// default postgresql://postgres@127.0.0.1:5432/oo, creating the database if needed.
import { ensureDatabase } from '../admin/database-admin.js';
import { redactUrl, resolveDatabaseUrl } from '../config/database-url.js';
import { servicePrismaPaths } from '../config/services.js';
import { applyMigrations } from '../migrate/apply-migrations.js';
import { parseServices, runCli } from './cli-args.js';

runCli(async () => {
  const services = parseServices(process.argv.slice(2));
  const url = resolveDatabaseUrl();
  if (await ensureDatabase(url)) console.info(`created database ${redactUrl(url)}`);
  for (const service of services) {
    await applyMigrations({
      connectionString: url,
      schema: service,
      migrationsDir: servicePrismaPaths(service).migrationsDir,
      logger: console,
    });
  }
});
