import { randomBytes } from 'node:crypto';

import type { ClientBase } from 'pg';

import { dropDatabase, pgErrorCode, withAdminClient } from '../admin/database-admin.js';
import { resolveDatabaseUrl, withDatabase } from '../config/database-url.js';
import { quoteIdent } from '../config/quote-ident.js';
import { DATABASE_SERVICES, type DatabaseService } from '../config/services.js';
import { buildTemplate, templateName } from './template-database.js';

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
const UNDEFINED_DATABASE = '3D000';
const templates = new Map<string, Promise<string>>();

/**
 * A fresh, uniquely named database with the given services' schemas fully migrated, for one
 * integration test file. Cloning is fast: the migrations run once into a template database
 * named after a hash of every migration file (`oo_tpl_<hash>`), shared by every test process
 * until a migration changes, and each call is a `CREATE DATABASE … TEMPLATE`. With no
 * services, the database is simply created empty.
 */
export async function createTestDatabase(
  options: CreateTestDatabaseOptions = {},
): Promise<TestDatabase> {
  const server = options.connectionString ?? resolveDatabaseUrl();
  const services = options.services ?? DATABASE_SERVICES;
  const name = `oo_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  if (services.length === 0) {
    await withAdminClient(server, (admin) => admin.query(`CREATE DATABASE ${quoteIdent(name)}`));
  } else {
    await cloneTemplate(server, services, name);
  }
  return {
    name,
    url: withDatabase(server, name),
    drop: () => withAdminClient(server, (client) => dropDatabase(client, name)),
  };
}

async function cloneTemplate(
  server: string,
  services: readonly DatabaseService[],
  name: string,
): Promise<void> {
  const pending = templateFor(server, services);
  const template = await pending;
  try {
    await withAdminClient(server, (admin) => cloneDatabase(admin, template, name));
  } catch (error) {
    // Swept as stale by a test run of another checkout (other migrations) on the same server.
    if (pgErrorCode(error) !== UNDEFINED_DATABASE) throw error;
    forgetTemplate(server, services, pending);
    const rebuilt = await templateFor(server, services);
    await withAdminClient(server, (admin) => cloneDatabase(admin, rebuilt, name));
  }
}

function templateKey(server: string, services: readonly DatabaseService[]): string {
  return `${server}|${[...services].sort().join(',')}`;
}

/** The template's name once it exists, built at most once per process and server. */
function templateFor(server: string, services: readonly DatabaseService[]): Promise<string> {
  const key = templateKey(server, services);
  let template = templates.get(key);
  if (!template) {
    template = templateName(services).then(async (name) => {
      await buildTemplate(server, services, name);
      return name;
    });
    // A failed build must not poison later calls in this process.
    template.catch(() => templates.delete(key));
    templates.set(key, template);
  }
  return template;
}

function forgetTemplate(
  server: string,
  services: readonly DatabaseService[],
  template: Promise<string>,
): void {
  const key = templateKey(server, services);
  if (templates.get(key) === template) templates.delete(key);
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
