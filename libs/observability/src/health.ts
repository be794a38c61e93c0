/** One dependency the service really uses, probed the way the service uses it. */
export interface HealthCheck {
  name: 'nats' | 'redis' | 'postgres' | (string & {});
  check(): Promise<void>;
}

export interface CheckResult {
  status: 'up' | 'down';
  latencyMs: number;
  error?: string;
}

export interface HealthReport {
  status: 'ok' | 'error';
  service: string;
  checks: Record<string, CheckResult>;
}

const CHECK_TIMEOUT_MS = 1500;

function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Runs every check in parallel; the service is ready only when all are up. */
export async function runHealthChecks(
  service: string,
  checks: readonly HealthCheck[],
): Promise<HealthReport> {
  const results = await Promise.all(
    checks.map(async (probe): Promise<[string, CheckResult]> => {
      const { name } = probe;
      const started = performance.now();
      try {
        await withTimeout(probe.check(), CHECK_TIMEOUT_MS);
        return [name, { status: 'up', latencyMs: round(performance.now() - started) }];
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return [
          name,
          { status: 'down', latencyMs: round(performance.now() - started), error: message },
        ];
      }
    }),
  );
  const ok = results.every(([, result]) => result.status === 'up');
  return { status: ok ? 'ok' : 'error', service, checks: Object.fromEntries(results) };
}

const round = (ms: number): number => Math.round(ms * 100) / 100;

/** Probes Redis with PING. */
export const redisHealthCheck = (redis: { ping(): Promise<string> }): HealthCheck => ({
  name: 'redis',
  check: async () => {
    await redis.ping();
  },
});

/** Probes Postgres with a trivial query through the service's own client. */
export const postgresHealthCheck = (query: () => Promise<unknown>): HealthCheck => ({
  name: 'postgres',
  check: async () => {
    await query();
  },
});
