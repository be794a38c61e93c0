import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

import { normalizeDump } from '../../src/testing/dump-schema.js';

const run = promisify(execFile);

/** `pg_dump --schema-only` of one table, with its schema name normalized away. */
export async function dumpTable(
  connectionString: string,
  schema: string,
  table: string,
): Promise<string> {
  const { stdout } = await run('pg_dump', [
    '--schema-only',
    '--no-owner',
    `--table=${schema}.${table}`,
    connectionString,
  ]);
  return normalizeDump(stdout, schema);
}
