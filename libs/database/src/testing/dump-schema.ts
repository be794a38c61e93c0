import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * `pg_dump --schema-only` of one schema, normalized so dumps of two schemas with the same
 * structure compare equal: the schema name becomes `<schema>`, comments, SET lines and
 * blank lines go, and Prisma's own `_prisma_migrations` table is left out.
 */
export async function dumpSchema(connectionString: string, schema: string): Promise<string> {
  const { stdout } = await run(
    'pg_dump',
    [
      '--schema-only',
      '--no-owner',
      '--no-privileges',
      `--schema=${schema}`,
      `--exclude-table=${schema}._prisma_migrations`,
      connectionString,
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  return normalizeDump(stdout, schema);
}

export function normalizeDump(dump: string, schema: string): string {
  const escaped = schema.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // The name bare or quoted, as a whole word, followed by a dot or ending a SCHEMA clause.
  const qualified = new RegExp(`(?<![\\w"])(?:"${escaped}"|${escaped})(?=\\.|;|\\s|$)`, 'g');
  return dump
    .split('\n')
    .filter(
      (line) =>
        line.trim() !== '' &&
        !line.startsWith('--') &&
        !line.startsWith('SET ') &&
        !line.startsWith('SELECT pg_catalog.set_config'),
    )
    .filter((line) => !/^\\(un)?restrict /.test(line))
    .map((line) => line.replace(qualified, '<schema>'))
    .join('\n');
}
