import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

interface LockedPackage {
  dev?: boolean;
  devOptional?: boolean;
  optional?: boolean;
  link?: boolean;
}

/**
 * The installed packages production needs, as folders relative to the workspace root
 * (`node_modules/pg`, `node_modules/foo/node_modules/bar`, …), read from package-lock.json: every
 * locked package that is neither `dev` nor `devOptional`.
 *
 * Not `npm ci --omit=dev` / `npm ls --omit=dev`: npm keeps `devOptional` packages under
 * `--omit=dev`, and `prisma` and `typescript` are that here (devDependencies that are also
 * optional peers of `@prisma/client`), which would bring the Prisma CLI, its Studio (React) and
 * the TypeScript compiler into every image. Nothing needs them at run time: the clients are
 * generated at build time and migrations apply through `pg`.
 *
 * Workspace packages are left out (staged from their `dist/`). A locked optional package
 * (a native binary for another platform) may be absent; any other missing one is an error.
 */
export async function productionPackages(root: string): Promise<string[]> {
  const lock = JSON.parse(await readFile(join(root, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockedPackage>;
  };
  const packages: string[] = [];
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (!path.startsWith('node_modules/') || path.startsWith('node_modules/@oo/')) continue;
    if (entry.dev || entry.devOptional || entry.link) continue;
    if (existsSync(join(root, path))) packages.push(path);
    else if (!entry.optional) {
      throw new Error(`${path} is in package-lock.json but not installed: run npm install`);
    }
  }
  return packages.sort();
}
