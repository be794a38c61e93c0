import { randomBytes } from 'node:crypto';
import { createRedisClient } from '@oo/platform';
import { testInfrastructure, uniqueNamespace } from '@oo/testing';
import type { Redis } from 'ioredis';
import { CLOSE_INTENT_TTL_SECONDS, CloseIntents } from '../src/close/close-intents.js';
import { todoistKeys } from '../src/todoist/todoist-keys.js';

/** What each done event closes with, on real Redis. */
describe('CloseIntents', () => {
  let redis: Redis;
  let namespace: string;
  let intents: CloseIntents;
  const user = () => `u_${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    namespace = uniqueNamespace('close-intents');
    redis = createRedisClient((await testInfrastructure()).redisUrl, namespace, 'test');
    intents = new CloseIntents(redis);
  });

  afterAll(async () => {
    const keys = await redis.keys(`${namespace}:*`);
    if (keys.length) await redis.del(...keys.map((key) => key.slice(namespace.length + 1)));
    await redis.quit();
  });

  it('answers a redelivery with the key its first delivery kept, whatever the snapshot says now', async () => {
    const userId = user();
    expect(await intents.find(userId, 'event-1')).toBeUndefined();

    expect(await intents.keep(userId, 'event-1', 'due:2026-12-02')).toBe('due:2026-12-02');
    // A copy of the event that read the snapshot after a sync moved the due.
    expect(await intents.keep(userId, 'event-1', 'due:2026-12-03')).toBe('due:2026-12-02');

    expect(await intents.find(userId, 'event-1')).toBe('due:2026-12-02');
    expect(await intents.find(userId, 'event-2')).toBeUndefined();
  });

  it('prunes what no redelivery can ask for any more, and the key expires', async () => {
    const userId = user();
    const key = todoistKeys.closeIntents(userId);
    const dayAndAMinuteAgo = Date.now() - (CLOSE_INTENT_TTL_SECONDS + 60) * 1000;
    await redis.hset(
      key,
      'old-event',
      JSON.stringify({ completionKey: 'closed', at: dayAndAMinuteAgo }),
    );

    await intents.keep(userId, 'new-event', 'closed');

    expect(await redis.hkeys(key)).toEqual(['new-event']);
    expect(await redis.ttl(key)).toBeGreaterThan(CLOSE_INTENT_TTL_SECONDS - 60);
  });
});
