import { createHash } from 'node:crypto';

import type { DatabaseService } from '../config/services.js';
import { servicePrismaPaths } from '../config/services.js';
import { readMigrationFiles } from '../migrate/migration-files.js';

/**
 * Bump when what a template holds changes without any migration file changing (the migrator's
 * own bookkeeping: `_prisma_migrations`, how rows are written, the template's comment), so
 * templates built by the older code are not reused (and get swept as stale).
 */
export const TEMPLATE_VERSION = 2;

/** A short hash of TEMPLATE_VERSION and the services' migration names and contents: it changes whenever any of them does. */
export async function migrationsFingerprint(
  services: readonly DatabaseService[],
  root?: string,
): Promise<string> {
  const hash = createHash('sha256');
  hash.update(`template:${TEMPLATE_VERSION}\n`);
  for (const service of [...services].sort()) {
    hash.update(`service:${service}\n`);
    for (const file of await readMigrationFiles(servicePrismaPaths(service, root).migrationsDir)) {
      hash.update(`${file.name}:${file.checksum}\n`);
    }
  }
  return hash.digest('hex').slice(0, 16);
}
