/** `YYYYMMDDHHMMSS` in UTC, the prefix Prisma gives migration folders. */
export function migrationTimestamp(at: Date): string {
  return at.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** A migration name as Prisma would write it: lower snake_case, e.g. "Add tips table" → add_tips_table. */
export function toMigrationName(name: string): string {
  const snake = name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (!snake) throw new Error(`"${name}" gives an empty migration name; use e.g. add_tips_table`);
  return snake;
}
