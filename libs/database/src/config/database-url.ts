import { DEFAULT_DATABASE_URL } from '@oo/config';

/** The server every admin statement (CREATE/DROP DATABASE) runs from: it always exists. */
const MAINTENANCE_DATABASE = 'postgres';

/** DATABASE_URL from the given environment, else the development default. */
export function resolveDatabaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env['DATABASE_URL']?.trim();
  return fromEnv ? fromEnv : DEFAULT_DATABASE_URL;
}

/** The same server and credentials, pointed at another database. */
export function withDatabase(connectionString: string, database: string): string {
  const url = new URL(connectionString);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

/** The maintenance database on the same server, for CREATE/DROP DATABASE. */
export function maintenanceUrl(connectionString: string): string {
  return withDatabase(connectionString, MAINTENANCE_DATABASE);
}

/** The database a connection string names (the path), e.g. `oo`. */
export function databaseNameOf(connectionString: string): string {
  const name = decodeURIComponent(new URL(connectionString).pathname.replace(/^\//, ''));
  if (!name) throw new Error('The database URL names no database (expected …/<database>)');
  return name;
}

/** host:port/database without credentials, the only form of a URL fit for a log line. */
export function redactUrl(connectionString: string): string {
  const url = new URL(connectionString);
  return `${url.hostname}:${url.port || '5432'}${url.pathname}`;
}
