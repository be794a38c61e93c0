import { createHash } from 'node:crypto';

import type { DatabaseService } from '../config/services.js';
import { servicePrismaPaths } from '../config/services.js';
import { readMigrationFiles } from '../migrate/migration-files.js';

/** A short hash of the services' migration names and contents: it changes whenever any of them does. */
export async function migrationsFingerprint(
  services: readonly DatabaseService[],
  root?: string,
): Promise<string> {
  const hash = createHash('sha256');
  for (const service of [...services].sort()) {
    hash.update(`service:${service}\n`);
    for (const file of await readMigrationFiles(servicePrismaPaths(service, root).migrationsDir)) {
      hash.update(`${file.name}:${file.checksum}\n`);
    }
  }
  return hash.digest('hex').slice(0, 16);
}
