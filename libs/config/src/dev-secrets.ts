import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type SecretGenerators = Record<string, () => string>;

const defaultDataDir = fileURLToPath(new URL('../../../.data', import.meta.url));

/** A random 32-byte key, base64. */
export const randomKey = (): string => randomBytes(32).toString('base64');

/**
 * Fills unset secrets so that a fresh clone starts with no setup. Only outside production:
 * there, a missing secret stays missing and the schema refuses to start.
 * Generated values persist in `<dataDir>/secrets.json` (mode 0600) so restarts keep sessions
 * and encrypted tokens readable.
 */
export function resolveDevSecrets(
  source: Record<string, string | undefined>,
  generators: SecretGenerators,
  dataDir = defaultDataDir,
): Record<string, string | undefined> {
  const env = source['OO_ENV'] ?? 'development';
  const missing = Object.keys(generators).filter((name) => !source[name]);
  if (env === 'production' || missing.length === 0) return source;

  const file = join(dataDir, 'secrets.json');
  const stored = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>)
    : {};
  let changed = false;
  for (const name of missing) {
    if (!stored[name]) {
      stored[name] = generators[name]!();
      changed = true;
    }
  }
  if (changed) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return { ...source, ...Object.fromEntries(missing.map((name) => [name, stored[name]])) };
}
