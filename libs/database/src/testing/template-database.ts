import { randomBytes } from 'node:crypto';

import type pg from 'pg';

import { databaseExists, pgErrorCode, withAdminClient } from '../admin/database-admin.js';
import { withDatabase } from '../config/database-url.js';
import { quoteIdent } from '../config/quote-ident.js';
import { isDatabaseService, servicePrismaPaths, type DatabaseService } from '../config/services.js';
import { applyMigrations } from '../migrate/apply-migrations.js';
import { withAdvisoryLock } from '../migrate/migration-lock.js';
import { migrationsFingerprint } from './migrations-fingerprint.js';

/**
 * One advisory lock (taken in the maintenance database, so server-wide) for building templates
 * and sweeping stale ones: while it is held nobody else builds, so every `oo_tpl_*_build_*`
 * database found then is a leftover of a killed process.
 */
export const TEMPLATE_LOCK_KEY = 0x6f6f7470; // "ootp"

const TEMPLATE_PREFIX = 'oo_tpl_';
/** Each template records its services here, so a sweep can tell a current template from a stale one. */
const COMMENT_PREFIX = 'oo test template of: ';
const OBJECT_IN_USE = '55006';

/** The template for these services at the current migration files: `oo_tpl_<fingerprint>`. */
export async function templateName(services: readonly DatabaseService[]): Promise<string> {
  return `${TEMPLATE_PREFIX}${await migrationsFingerprint(services)}`;
}

/**
 * Makes sure template `name` exists on `server`, holding the services' schemas fully migrated.
 * It is built under a temporary name, locked down as a template (no connections allowed), and
 * only then renamed into place, so a database named `name` is always complete, even if a
 * builder died midway. The advisory lock keeps parallel test processes from building it twice;
 * the builder also drops the templates of other fingerprints nobody uses any more.
 */
export async function buildTemplate(
  server: string,
  services: readonly DatabaseService[],
  name: string,
): Promise<void> {
  await withAdminClient(server, async (admin) => {
    // Safe without the lock: the name only ever appears complete.
    if (await databaseExists(admin, name)) return;
    await withAdvisoryLock(admin, TEMPLATE_LOCK_KEY, async () => {
      if (await databaseExists(admin, name)) return;
      await dropStaleTemplates(admin, name);
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
        await admin.query(
          `COMMENT ON DATABASE ${quoteIdent(building)} IS ${admin.escapeLiteral(COMMENT_PREFIX + services.join(','))}`,
        );
        // Nobody may connect to a template: one stray connection makes every clone fail.
        await admin.query(
          `ALTER DATABASE ${quoteIdent(building)} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`,
        );
        // Last: the rename publishes it.
        await admin.query(`ALTER DATABASE ${quoteIdent(building)} RENAME TO ${quoteIdent(name)}`);
      } catch (error) {
        // The build's own error is the one to report; a later sweep retries the drop.
        await dropTemplate(admin, building).catch(() => undefined);
        throw error;
      }
    });
  });
}

/**
 * Drops a template database. Postgres refuses to drop a template, so it stops being one first.
 * One still in use (connected to) stays, for a later sweep. Resolves to whether it was dropped.
 */
export async function dropTemplate(admin: pg.ClientBase, name: string): Promise<boolean> {
  await admin.query(`ALTER DATABASE ${quoteIdent(name)} WITH IS_TEMPLATE false`);
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)}`);
    return true;
  } catch (error) {
    if (pgErrorCode(error) !== OBJECT_IN_USE) throw error;
    return false;
  }
}

/**
 * Under the template lock: drops every `oo_tpl_*` database but `keep` that is not the current
 * template of the services it records (older migrations or TEMPLATE_VERSION, or a build left
 * by a killed process). Templates of other service sets at the current fingerprint stay.
 */
async function dropStaleTemplates(admin: pg.ClientBase, keep: string): Promise<void> {
  const { rows } = await admin.query<{ datname: string; comment: string | null }>(
    `SELECT datname, shobj_description(oid, 'pg_database') AS comment
       FROM pg_database WHERE starts_with(datname, $1) AND datname <> $2`,
    [TEMPLATE_PREFIX, keep],
  );
  for (const { datname, comment } of rows) {
    const services = recordedServices(comment);
    if (services && (await templateName(services)) === datname) continue;
    await dropTemplate(admin, datname);
  }
}

function recordedServices(comment: string | null): DatabaseService[] | undefined {
  if (!comment?.startsWith(COMMENT_PREFIX)) return undefined;
  const names = comment.slice(COMMENT_PREFIX.length).split(',').filter(Boolean);
  return names.every(isDatabaseService) ? names : undefined;
}
