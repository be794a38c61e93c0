/**
 * Whether Prisma refused a write because a foreign key names a row that does not exist (P2003).
 * Callers use it where "the parent is gone" is an answer, not a failure: a write racing the
 * removal of what it belongs to (a user who disconnected or deleted their account).
 */
export function isForeignKeyViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'P2003';
}
