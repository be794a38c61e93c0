/**
 * Whether Prisma refused a write because a unique constraint already holds the value.
 * Callers use it where "someone else got there first" is an answer, not a failure: a race to
 * create the same row, a provider account held by another user.
 *
 * Model queries fail P2002; raw statements (`$executeRaw`) fail P2010 with the driver
 * adapter's error as the cause. With `index`, only a refusal by that constraint counts: any
 * other unique key refusing is a bug to surface, not a race to answer.
 */
export function isUniqueViolation(error: unknown, index?: string): boolean {
  const { code, meta } = (error ?? {}) as {
    code?: unknown;
    meta?: {
      target?: unknown;
      driverAdapterError?: { cause?: { kind?: unknown; constraint?: { index?: unknown } } };
    };
  };
  const cause = meta?.driverAdapterError?.cause;
  const unique =
    code === 'P2002' || (code === 'P2010' && cause?.kind === 'UniqueConstraintViolation');
  if (!unique || index === undefined) return unique;
  return (cause?.constraint?.index ?? meta?.target) === index;
}
