import { randomBytes } from 'node:crypto';

import type { ClientBase } from 'pg';

import {
  databaseExists,
  dropDatabase,
  pgErrorCode,
  withAdminClient,
} from '../admin/database-admin.js';
import { resolveDatabaseUrl, withDatabase } from '../config/database-url.js';
import { quoteIdent } from '../config/quote-ident.js';
import { DATABASE_SERVICES, servicePrismaPaths, type DatabaseService } from '../config/services.js';
import { applyMigrations } from '../migrate/apply-migrations.js';
import { migrationsFingerprint } from './migrations-fingerprint.js';

export interface CreateTestDatabaseOptions {
  /** Services whose schemas the database gets, migrated to their latest migration. Default: all. */
  readonly services?: readonly DatabaseService[];
  /** The server to use; default DATABASE_URL, else the development default. Its database part is ignored. */
  readonly connectionString?: string;
}

export interface TestDatabase {
  /** Connection string of the new database (schemas auth, profile, … inside). */
  readonly url: string;
  readonly name: string;
  /** Drops the database, closing any connection a test left open. */
  drop(): Promise<void>;
}

const SOURCE_IN_USE = '55006';
const templates = new Map<string, Promise<string>>();

/**
 * A fresh, uniquely named database with the given services' schemas fully migrated, for one
 * integration test file. Cloning is fast: the migrations run once into a template database
 * named after a hash of every migration file (`oo_tpl_<hash>`), shared by every test process
 * until a migration changes, and each call is a `CREATE DATABASE … TEMPLATE`.
 */
export async function createTestDatabase(
  options: CreateTestDatabaseOptions = {},
): Promise<TestDatabase> {
  const server = options.connectionString ?? resolveDatabaseUrl();
  const services = options.services ?? DATABASE_SERVICES;
  const template = await templateFor(server, services);
  const name = `oo_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withAdminClient(server, (client) => cloneDatabase(client, template, name));
  return {
    name,
    url: withDatabase(server, name),
    drop: () => withAdminClient(server, (client) => dropDatabase(client, name)),
  };
}

function templateFor(server: string, services: readonly DatabaseService[]): Promise<string> {
  const key = `${server}|${[...services].sort().join(',')}`;
  let template = templates.get(key);
  if (!template) {
    template = buildTemplate(server, services);
    // A failed build must not poison later calls in this process.
    template.catch(() => templates.delete(key));
    templates.set(key, template);
  }
  return template;
}

/**
 * Builds the template under a temporary name and renames it only once fully migrated, so an
 * `oo_tpl_*` database that exists is always complete, even if a test process died midway.
 * An advisory lock keyed by the name keeps parallel test workers from building it twice.
 */
async function buildTemplate(
  server: string,
  services: readonly DatabaseService[],
): Promise<string> {
  const name = `oo_tpl_${await migrationsFingerprint(services)}`;
  return withAdminClient(server, async (admin) => {
    await admin.query('SELECT pg_advisory_lock(hashtext($1))', [name]);
    try {
      if (await databaseExists(admin, name)) return name;
      const building = `${name}_build_${randomBytes(3).toString('hex')}`;
      await admin.query(`CREATE DATABASE ${quoteIdent(building)}`);
      try {
        for (const service of services) {
          await applyMigrations({
            connectionString: withDatabase(server, building),
            schema: service,
            migrationsDir: servicePrismaPaths(service).migrationsDir,
          });
        }
        await admin.query(`ALTER DATABASE ${quoteIdent(building)} RENAME TO ${quoteIdent(name)}`);
        // Nobody may connect to a template: one stray connection makes every clone fail.
        await admin.query(
          `ALTER DATABASE ${quoteIdent(name)} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`,
        );
      } catch (error) {
        await dropDatabase(admin, building);
        throw error;
      }
      return name;
    } finally {
      await admin.query('SELECT pg_advisory_unlock(hashtext($1))', [name]);
    }
  });
}

/**
 * CREATE DATABASE … TEMPLATE fails while another session is connected to the template;
 * allowing no connections rules out everyone but a racing clone on the very same template in
 * some Postgres versions, hence the bounded retries.
 */
async function cloneDatabase(admin: ClientBase, template: string, name: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await admin.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(template)}`);
      return;
    } catch (error) {
      if (pgErrorCode(error) !== SOURCE_IN_USE || attempt >= 10) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}
