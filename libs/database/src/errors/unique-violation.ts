/**
 * Whether Prisma refused a write because a unique constraint already holds the value (P2002).
 * Callers use it where "someone else got there first" is an answer, not a failure: a race to
 * create the same row, a provider account held by another user.
 */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'P2002';
}
