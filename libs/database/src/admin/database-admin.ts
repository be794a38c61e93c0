import pg from 'pg';

import { databaseNameOf, maintenanceUrl } from '../config/database-url.js';
import { quoteIdent } from '../config/quote-ident.js';

const DUPLICATE_DATABASE = '42P04';

/** Runs `fn` on a connection to the server's maintenance database (for CREATE/DROP DATABASE). */
export async function withAdminClient<T>(
  connectionString: string,
  fn: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: maintenanceUrl(connectionString) });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates the database a connection string names unless it exists. Resolves to true if it created it. */
export async function ensureDatabase(connectionString: string): Promise<boolean> {
  const name = databaseNameOf(connectionString);
  return withAdminClient(connectionString, async (client) => {
    if (await databaseExists(client, name)) return false;
    try {
      await client.query(`CREATE DATABASE ${quoteIdent(name)}`);
      return true;
    } catch (error) {
      // Another process created it between our check and our CREATE: that is fine.
      if (pgErrorCode(error) === DUPLICATE_DATABASE) return false;
      throw error;
    }
  });
}

export async function databaseExists(client: pg.ClientBase, name: string): Promise<boolean> {
  const result = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  return (result.rowCount ?? 0) > 0;
}

/** Drops a database, disconnecting whoever is still connected (tests that forgot to close). */
export async function dropDatabase(client: pg.ClientBase, name: string): Promise<void> {
  await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
}

export function pgErrorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}
