import type { ClientBase } from 'pg';

/**
 * The advisory lock key Prisma's schema engine takes on Postgres while migrating, so our
 * migrator, another instance of it, and a real `prisma migrate deploy` all exclude each
 * other. Advisory locks are per database, so parallel test databases do not contend.
 */
const PRISMA_MIGRATE_LOCK_KEY = 72707369;

/** Runs `fn` holding the session-level migration lock on this connection. */
export async function withMigrationLock<T>(client: ClientBase, fn: () => Promise<T>): Promise<T> {
  await client.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATE_LOCK_KEY]);
  let result: T;
  try {
    result = await fn();
  } catch (error) {
    // The original error matters more; a lost connection releases the lock anyway.
    await client
      .query('SELECT pg_advisory_unlock($1)', [PRISMA_MIGRATE_LOCK_KEY])
      .catch(() => undefined);
    throw error;
  }
  await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_MIGRATE_LOCK_KEY]);
  return result;
}
