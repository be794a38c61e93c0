import { createEnvelope } from '@oo/contracts';
import {
  createTestNats,
  expectEventually,
  freePort,
  startTsProcess,
  testInfrastructure,
  tipFeedbackData,
  type RunningProcess,
  type TestNats,
} from '@oo/testing';
import { Redis } from 'ioredis';
import { EventPublisher } from '../src/index.js';

const SINK_SERVICE = 'libs/messaging/test/fixtures/sink-service.ts';
const DURABLE = 'sink__tip_feedback';

describe('a consumer process', () => {
  let nats: TestNats;
  let redis: Redis;
  let key: string;
  const processes: RunningProcess[] = [];

  beforeEach(async () => {
    nats = await createTestNats('process');
    redis = new Redis((await testInfrastructure()).redisUrl);
    key = `oo-test:${nats.topology.namespace}`;
  });

  afterEach(async () => {
    for (const running of processes.splice(0)) {
      running.kill('SIGKILL');
      await running.exited;
    }
    const keys = await redis.keys(`${key}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await nats.cleanup();
  });

  async function start(extraEnv: Record<string, string>): Promise<RunningProcess> {
    const running = startTsProcess(SINK_SERVICE, {
      OO_NAMESPACE: nats.topology.namespace,
      NATS_URL: nats.url,
      REDIS_URL: (await testInfrastructure()).redisUrl,
      PORT: String(await freePort()),
      SINK_KEY: key,
      LOG_LEVEL: 'warn',
      ...extraEnv,
    });
    processes.push(running);
    return running;
  }

  async function publishMany(count: number): Promise<string[]> {
    const publisher = new EventPublisher(nats.js, nats.topology);
    const envelopes = Array.from({ length: count }, (_, i) =>
      createEnvelope('tip.feedback', `user${i % 7}`, tipFeedbackData()),
    );
    await Promise.all(envelopes.map((envelope) => publisher.publishEnvelope(envelope)));
    return envelopes.map((envelope) => envelope.id);
  }

  it('killed with SIGKILL mid-batch and restarted: every message lands in the sink exactly once', async () => {
    const ids = await publishMany(400);
    const first = await start({ HANDLER_DELAY_MS: '50', ACK_WAIT_MS: '1500', CONCURRENCY: '16' });
    // Kill while handlers are visibly mid-flight (each takes 50 ms; the kill follows the read at once).
    await expectEventually(
      async () => {
        const [started, done] = await Promise.all([
          redis.scard(`${key}:started`),
          redis.scard(`${key}:done`),
        ]);
        expect(done).toBeGreaterThanOrEqual(80);
        expect(started).toBeGreaterThan(done);
      },
      { timeoutMs: 20_000, intervalMs: 5 },
    );
    first.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    const startedBeforeKill = await redis.scard(`${key}:started`);
    const doneBeforeKill = await redis.scard(`${key}:done`);
    expect(doneBeforeKill).toBeLessThan(ids.length);

    await start({ HANDLER_DELAY_MS: '1', ACK_WAIT_MS: '1500', CONCURRENCY: '16' });
    await expectEventually(async () => expect(await redis.hlen(`${key}:sink`)).toBe(ids.length), {
      timeoutMs: 30_000,
    });
    expect((await redis.hkeys(`${key}:sink`)).sort()).toEqual([...ids].sort());
    // The kill really interrupted work: some handlers had started and not finished.
    expect(startedBeforeKill).toBeGreaterThan(doneBeforeKill);
    await expectEventually(async () => {
      const info = await nats.jsm.consumers.info(nats.topology.signalsStream, DURABLE);
      expect({ pending: info.num_pending, ackPending: info.num_ack_pending }).toEqual({
        pending: 0,
        ackPending: 0,
      });
    });
  });

  it('drains on SIGTERM: handlers in flight finish and are acked before exit', async () => {
    const ids = await publishMany(300);
    // Messages still on their way from the server when the pull closes come back after the ack
    // wait (what the client had buffered is nak'ed at once); a short one keeps the test quick.
    const first = await start({ HANDLER_DELAY_MS: '40', CONCURRENCY: '8', ACK_WAIT_MS: '3000' });
    await expectEventually(
      async () => expect(await redis.scard(`${key}:done`)).toBeGreaterThanOrEqual(16),
      {
        timeoutMs: 20_000,
      },
    );
    first.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const started = (await redis.smembers(`${key}:started`)).sort();
    const doneByFirst = (await redis.smembers(`${key}:done`)).sort();
    expect(doneByFirst.length).toBeLessThan(ids.length);
    expect(doneByFirst).toEqual(started);

    await start({ HANDLER_DELAY_MS: '0', CONCURRENCY: '8', ACK_WAIT_MS: '3000' });
    await expectEventually(async () => expect(await redis.hlen(`${key}:sink`)).toBe(ids.length), {
      timeoutMs: 30_000,
    });
    // Every message the first process handled was acked before it exited: none ran again.
    const attempts = await redis.hmget(`${key}:attempts-by-id`, ...doneByFirst);
    expect(attempts.filter((count) => count !== '1')).toEqual([]);
  });

  it('refuses to start with a bad environment variable, naming it', async () => {
    const running = await start({ PORT: 'not-a-port' });
    expect(await running.exited).toBe(78);
    expect(running.output()).toMatch(/Invalid environment:\n\s+- PORT: /);
  });
});
