export { DEFAULT_DATABASE_URL, resolveDatabaseUrl, withDatabase } from './config/database-url.js';
export {
  DATABASE_SERVICES,
  isDatabaseService,
  servicePrismaPaths,
  type DatabaseService,
} from './config/services.js';
export { ensureDatabase } from './admin/database-admin.js';
export { applyMigrations, type ApplyMigrationsOptions } from './migrate/apply-migrations.js';
export {
  FailedMigrationFoundError,
  MigrationChecksumMismatchError,
  MigrationError,
  MigrationFailedError,
} from './migrate/migration-errors.js';
export type { MigrationLogger } from './migrate/migration-logger.js';
export { migrationChecksum } from './migrate/checksum.js';
export {
  diffDatabaseToSchemaFile,
  diffSchemaFiles,
  fromEmptySql,
  isEmptyDiff,
} from './engine/schema-diff.js';
export {
  planNextMigration,
  type PlanNextMigrationOptions,
  type PlannedMigration,
} from './plan/plan-next-migration.js';
export { createPrismaAdapter } from './prisma/create-prisma-adapter.js';
export { markProcessed, type RawSqlExecutor } from './idempotency/mark-processed.js';
export {
  createTestDatabase,
  type CreateTestDatabaseOptions,
  type TestDatabase,
} from './testing/create-test-database.js';
export { dumpSchema } from './testing/dump-schema.js';
