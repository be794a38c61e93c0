import { ensureDatabase } from '../admin/database-admin.js';
import { redactUrl } from '../config/database-url.js';
import { servicePrismaPaths, type DatabaseService } from '../config/services.js';
import { applyMigrations } from './apply-migrations.js';
import { silentLogger, type MigrationLogger } from './migration-logger.js';

export interface MigrateServicesOptions {
  /** The database the services share; created if missing. Never logged with credentials. */
  readonly connectionString: string;
  readonly services: readonly DatabaseService[];
  readonly logger?: MigrationLogger;
}

/** What one service's run applied: the migration names, in order (empty when up to date). */
export interface ServiceMigrations {
  readonly service: DatabaseService;
  readonly applied: readonly string[];
}

/**
 * Creates the database if needed, then applies each service's pending migrations to its own
 * schema, one service after the other. Resolves to what was applied per service, in order.
 */
export async function migrateServices(
  options: MigrateServicesOptions,
): Promise<ServiceMigrations[]> {
  const logger = options.logger ?? silentLogger;
  if (await ensureDatabase(options.connectionString)) {
    logger.info(`created database ${redactUrl(options.connectionString)}`);
  }
  const results: ServiceMigrations[] = [];
  for (const service of options.services) {
    const applied = await applyMigrations({
      connectionString: options.connectionString,
      schema: service,
      migrationsDir: servicePrismaPaths(service).migrationsDir,
      logger,
    });
    results.push({ service, applied });
  }
  return results;
}
