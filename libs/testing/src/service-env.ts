import { testInfrastructure } from './infrastructure.js';
import type { TestNats } from './nats.js';

/**
 * The environment every service a test starts shares: this file's NATS namespace (streams,
 * subjects, Redis key prefix), the test Redis, test mode and quiet logs. `extra` adds or
 * overrides (DATABASE_URL, PORT, PUBLIC_URL, …).
 */
export async function serviceTestEnv(
  nats: TestNats,
  extra: Record<string, string> = {},
): Promise<Record<string, string>> {
  const { redisUrl } = await testInfrastructure();
  return {
    NATS_URL: nats.url,
    REDIS_URL: redisUrl,
    OO_NAMESPACE: nats.topology.namespace,
    OO_ENV: 'test',
    LOG_LEVEL: 'error',
    ...extra,
  };
}
