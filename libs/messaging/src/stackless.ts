/**
 * Runs `start` (which must create its errors synchronously) with stack traces off. nats-core
 * builds a RequestError and a TimeoutError for every request up front, each capturing a stack
 * trace that is read only if the request fails: ~5 % of the recommender's CPU per decision and
 * per re-serve (services/recommender/test/support/decision-cpu.ts). Our callers report
 * failures with their own errors (RpcCallError; the publisher's callers log the message).
 */
export function withoutStackTraces<T>(start: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return start();
  } finally {
    Error.stackTraceLimit = limit;
  }
}
