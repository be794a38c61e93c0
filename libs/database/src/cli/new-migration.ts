// Usage: npm run db:new-migration -- <service> <name>
// Writes services/<service>/prisma/migrations/<UTC timestamp>_<name>/migration.sql with what
// the service's schema.prisma adds to its existing migrations. Needs a reachable Postgres
// (DATABASE_URL's server) for a throw-away database; never touches the database itself.
import type { DatabaseService } from '../config/services.js';
import { planNextMigration } from '../plan/plan-next-migration.js';
import { parseServices, runCli } from './cli-args.js';

runCli(async () => {
  const [serviceArg, ...nameParts] = process.argv.slice(2);
  if (!serviceArg || nameParts.length === 0)
    throw new Error('Usage: npm run db:new-migration -- <service> <name>');
  // parseServices throws on an unknown name, so one argument in means one service out.
  const [service] = parseServices([serviceArg]) as [DatabaseService];
  const planned = await planNextMigration({ service, name: nameParts.join('_') });
  if (!planned.written) {
    console.info(planned.reason);
    return;
  }
  console.info(`wrote ${planned.path}:\n\n${planned.sql}`);
});
