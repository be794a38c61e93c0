/**
 * Runs `start` (which must create its errors synchronously) with stack traces off. nats-core
 * builds a RequestError and a TimeoutError for every request up front (a JetStream publish is
 * one), each capturing a stack trace that is read only if the request fails: ~5 % of the
 * recommender's CPU per decision (services/recommender/test/support/decision-cpu.ts). The
 * publisher's callers log a failed publish by its message. (RpcClient has its own reply
 * inbox and builds no such errors.)
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
