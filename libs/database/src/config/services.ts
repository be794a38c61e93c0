import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DATABASE_SERVICE_NAMES, type DatabaseServiceName } from '@oo/config';

/** Services that own a Postgres schema, named exactly like the service (from the registry). */
export const DATABASE_SERVICES = DATABASE_SERVICE_NAMES;

export type DatabaseService = DatabaseServiceName;

export function isDatabaseService(value: string): value is DatabaseService {
  return (DATABASE_SERVICES as readonly string[]).includes(value);
}

export interface ServicePrismaPaths {
  readonly schemaPath: string;
  readonly migrationsDir: string;
  readonly serviceDir: string;
}

/** The workspace root: the nearest ancestor of this file holding nx.json (works from src and dist). */
export function workspaceRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'nx.json'))) {
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error('Cannot find the workspace root (no nx.json above libs/database)');
    dir = parent;
  }
  return dir;
}

export function servicePrismaPaths(
  service: DatabaseService,
  root: string = workspaceRoot(),
): ServicePrismaPaths {
  const serviceDir = resolve(root, 'services', service);
  return {
    serviceDir,
    schemaPath: join(serviceDir, 'prisma', 'schema.prisma'),
    migrationsDir: join(serviceDir, 'prisma', 'migrations'),
  };
}
