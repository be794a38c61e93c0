/** Base class so callers can tell a refused or failed migration from an infrastructure error. */
export class MigrationError extends Error {
  constructor(
    message: string,
    readonly migrationName: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** An applied migration's file was edited after it ran: the database no longer matches history. */
export class MigrationChecksumMismatchError extends MigrationError {}

/** `_prisma_migrations` holds an unresolved failure (Prisma's P3009): someone must look first. */
export class FailedMigrationFoundError extends MigrationError {}

/** The migration's SQL failed; its transaction was rolled back. */
export class MigrationFailedError extends MigrationError {}
