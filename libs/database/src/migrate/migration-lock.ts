import type { ClientBase } from 'pg';

/**
 * The advisory lock key Prisma's schema engine takes on Postgres while migrating, so our
 * migrator, another instance of it, and a real `prisma migrate deploy` all exclude each
 * other. Advisory locks are per database, so parallel test databases do not contend.
 */
const PRISMA_MIGRATE_LOCK_KEY = 72707369;

/** Runs `fn` holding the session-level migration lock on this connection. */
export function withMigrationLock<T>(client: ClientBase, fn: () => Promise<T>): Promise<T> {
  return withAdvisoryLock(client, PRISMA_MIGRATE_LOCK_KEY, fn);
}

/**
 * Runs `fn` holding the session-level advisory lock `key` (in the connection's database). A
 * failing unlock never hides `fn`'s own error: a lost connection releases the lock anyway.
 */
export async function withAdvisoryLock<T>(
  client: ClientBase,
  key: number,
  fn: () => Promise<T>,
): Promise<T> {
  await client.query('SELECT pg_advisory_lock($1)', [key]);
  let result: T;
  try {
    result = await fn();
  } catch (error) {
    await client.query('SELECT pg_advisory_unlock($1)', [key]).catch(() => undefined);
    throw error;
  }
  await client.query('SELECT pg_advisory_unlock($1)', [key]);
  return result;
}
