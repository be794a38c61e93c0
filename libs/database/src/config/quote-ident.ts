/** Postgres truncates longer identifiers (NAMEDATALEN - 1), counting bytes, not characters. */
const MAX_IDENTIFIER_BYTES = 63;

/** Quotes a Postgres identifier (schema, database) for interpolation into DDL. */
export function quoteIdent(name: string): string {
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes === 0 || bytes > MAX_IDENTIFIER_BYTES || name.includes('\0')) {
    throw new Error(`Invalid Postgres identifier: ${JSON.stringify(name)}`);
  }
  return `"${name.replaceAll('"', '""')}"`;
}
