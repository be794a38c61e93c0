/**
 * Whether Prisma refused a write because a unique constraint already holds the value.
 * Callers use it where "someone else got there first" is an answer, not a failure: a race to
 * create the same row, a provider account held by another user.
 *
 * Model queries fail P2002; raw statements (`$executeRaw`) fail P2010 with the driver
 * adapter's error as the cause; a statement sent with `pg` fails with SQLSTATE 23505. With `index`, only a refusal by that constraint counts: any
 * other unique key refusing is a bug to surface, not a race to answer.
 */
const PG_UNIQUE_VIOLATION = '23505';

export function isUniqueViolation(error: unknown, index?: string): boolean {
  const { code, meta } = (error ?? {}) as {
    code?: unknown;
    meta?: {
      target?: unknown;
      driverAdapterError?: { cause?: { kind?: unknown; constraint?: { index?: unknown } } };
    };
  };
  // `pg` itself (a hot path's prepared statement): SQLSTATE 23505 with the constraint's name.
  if (code === PG_UNIQUE_VIOLATION) {
    return index === undefined || (error as { constraint?: unknown }).constraint === index;
  }
  const cause = meta?.driverAdapterError?.cause;
  const unique =
    code === 'P2002' || (code === 'P2010' && cause?.kind === 'UniqueConstraintViolation');
  if (!unique || index === undefined) return unique;
  return (cause?.constraint?.index ?? meta?.target) === index;
}
