export { DATABASE_SERVICES, type DatabaseService } from './config/services.js';
export { applyMigrations, type ApplyMigrationsOptions } from './migrate/apply-migrations.js';
export {
  migrateServices,
  type MigrateServicesOptions,
  type ServiceMigrations,
} from './migrate/migrate-services.js';
export {
  FailedMigrationFoundError,
  MigrationChecksumMismatchError,
  MigrationError,
  MigrationFailedError,
} from './migrate/migration-errors.js';
export type { MigrationLogger } from './migrate/migration-logger.js';
export { fromEmptySql } from './engine/schema-diff.js';
export {
  planNextMigration,
  type PlanNextMigrationOptions,
  type PlannedMigration,
} from './plan/plan-next-migration.js';
export { createPrismaAdapter, createServicePool } from './prisma/create-prisma-adapter.js';
export { markProcessed, type RawSqlExecutor } from './idempotency/mark-processed.js';
export {
  createTestDatabase,
  type CreateTestDatabaseOptions,
  type TestDatabase,
} from './testing/create-test-database.js';
export { dumpSchema } from './testing/dump-schema.js';
export { isForeignKeyViolation } from './errors/foreign-key-violation.js';
export { isUniqueViolation } from './errors/unique-violation.js';
