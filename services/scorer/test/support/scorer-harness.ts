import { createEnvelope, type Envelope, type TipFeedbackV1 } from '@oo/contracts';
import { EventPublisher, RpcClient } from '@oo/messaging';
import { createRedisClient, type ServiceApp } from '@oo/platform';
import { createTestNats, freePort, testInfrastructure, type TestNats } from '@oo/testing';
import type { Redis } from 'ioredis';
import { createApp } from '../../src/app.factory.js';
import { loadScorerEnv } from '../../src/config/env.js';

export interface ScorerHarness {
  nats: TestNats;
  /** The test's Redis, prefixed with its namespace like the scorer's own client. */
  redis: Redis;
  rpc: RpcClient;
  publisher: EventPublisher;
  env: Record<string, string>;
  /** Boots one scorer in this process (tests may boot and stop several). */
  boot(overrides?: Record<string, string>): Promise<ServiceApp>;
  /** Every key of the test's namespace that mentions the user. */
  keysOf(userId: string): Promise<string[]>;
  feedback(userId: string, data?: Partial<TipFeedbackV1>): Envelope<'tip.feedback'>;
  close(): Promise<void>;
}

/** A scorer wired to its own NATS namespace and Redis key prefix. */
export async function scorerHarness(label: string): Promise<ScorerHarness> {
  const { redisUrl } = await testInfrastructure();
  const nats = await createTestNats(label);
  const namespace = nats.topology.namespace;
  const redis = createRedisClient(redisUrl, namespace, 'test');
  const apps: ServiceApp[] = [];
  const env = {
    NATS_URL: nats.url,
    REDIS_URL: redisUrl,
    OO_NAMESPACE: namespace,
    OO_ENV: 'test',
    LOG_LEVEL: 'error',
  };
  const keysOf = async (userId: string): Promise<string[]> => {
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(
        cursor,
        'MATCH',
        `${namespace}:*${userId}*`,
        'COUNT',
        1000,
      );
      cursor = next;
      found.push(...keys);
    } while (cursor !== '0');
    return found;
  };
  return {
    nats,
    redis,
    rpc: new RpcClient(nats.nc, nats.topology),
    publisher: new EventPublisher(nats.js, nats.topology),
    env,
    async boot(overrides = {}) {
      const port = String(await freePort());
      const service = await createApp(loadScorerEnv({ ...env, PORT: port, ...overrides }));
      apps.push(service);
      await service.start();
      return service;
    },
    keysOf,
    feedback(userId, data = {}) {
      return createEnvelope('tip.feedback', userId, {
        tipId: crypto.randomUUID(),
        taskId: 'task-1',
        action: 'done',
        reward: 1,
        policy: 'linucb-d5',
        features: [0.5, 0.5, 1, 0.25, 1],
        propensity: 0.95,
        ...data,
      });
    },
    async close() {
      await Promise.all(apps.map((app) => app.stop()));
      const keys = await keysOf('');
      if (keys.length) await redis.del(...keys.map((key) => key.slice(namespace.length + 1)));
      await redis.quit();
      await nats.cleanup();
    },
  };
}
