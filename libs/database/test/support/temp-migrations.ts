import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A throw-away migrations folder the test writes migrations into. */
export interface TempMigrations {
  readonly dir: string;
  write(name: string, sql: string): Promise<void>;
  remove(): Promise<void>;
}

export async function createTempMigrations(): Promise<TempMigrations> {
  const dir = await mkdtemp(join(tmpdir(), 'oo-migrations-'));
  return {
    dir,
    async write(name, sql) {
      await mkdir(join(dir, name), { recursive: true });
      await writeFile(join(dir, name, 'migration.sql'), sql);
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
