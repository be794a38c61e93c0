import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type SecretGenerators = Record<string, () => string>;

const defaultDataDir = fileURLToPath(new URL('../../../.data', import.meta.url));

/** A random 32-byte key, base64. */
export const randomKey = (): string => randomBytes(32).toString('base64');

/**
 * Fills unset secrets so that a fresh clone starts with no setup. Only outside production:
 * there, a missing secret stays missing and the schema refuses to start.
 * Each generated value persists in `<dataDir>/secrets/<NAME>` (mode 0600) so restarts keep
 * sessions and encrypted tokens readable. The file is created exclusively: when several
 * services start at once, the first writer wins and the others read its value.
 */
export function resolveDevSecrets(
  source: Record<string, string | undefined>,
  generators: SecretGenerators,
  dataDir = defaultDataDir,
): Record<string, string | undefined> {
  const env = source['OO_ENV'] ?? 'development';
  const missing = Object.keys(generators).filter((name) => !source[name]);
  if (env === 'production' || missing.length === 0) return source;

  const dir = join(dataDir, 'secrets');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const resolved: Record<string, string> = {};
  for (const name of missing) {
    const file = join(dir, name);
    if (!existsSync(file)) {
      try {
        writeFileSync(file, generators[name]!(), { flag: 'wx', mode: 0o600 });
      } catch (error) {
        // Another service created it first: its value wins.
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
    resolved[name] = readFileSync(file, 'utf8');
  }
  return { ...source, ...resolved };
}
