import { createEnvelope } from '@oo/contracts';
import {
  createTestNats,
  expectEventually,
  freePort,
  readDeadLetters,
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
/** Deadlines, not expectations: child processes start slowly on a loaded machine. */
const PROCESS_TEST_MS = 180_000;

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

  function alive(running: RunningProcess): boolean {
    return running.child.exitCode === null && running.child.signalCode === null;
  }

  async function publishMany(count: number): Promise<string[]> {
    const publisher = new EventPublisher(nats.js, nats.topology);
    const envelopes = Array.from({ length: count }, (_, i) =>
      createEnvelope('tip.feedback', `user${i % 7}`, tipFeedbackData()),
    );
    await Promise.all(envelopes.map((envelope) => publisher.publishEnvelope(envelope)));
    return envelopes.map((envelope) => envelope.id);
  }

  it(
    'killed with SIGKILL mid-batch and restarted: every message lands in the sink exactly once',
    async () => {
      const ids = await publishMany(400);
      // 80 handlers finish; every later one holds, so the kill finds work in flight for sure.
      const first = await start({ HOLD_AFTER: '80', ACK_WAIT_MS: '1500', CONCURRENCY: '16' });
      await expectEventually(
        async () => {
          const [started, done] = await Promise.all([
            redis.scard(`${key}:started`),
            redis.scard(`${key}:done`),
          ]);
          expect(done).toBe(80);
          expect(started).toBeGreaterThan(done);
        },
        { timeoutMs: 60_000 },
      );
      first.kill('SIGKILL');
      expect(await first.exited).toBe('SIGKILL');
      const startedBeforeKill = await redis.scard(`${key}:started`);
      const doneBeforeKill = await redis.scard(`${key}:done`);
      expect(doneBeforeKill).toBeLessThan(ids.length);
      // The kill really interrupted work: some handlers had started and not finished.
      expect(startedBeforeKill).toBeGreaterThan(doneBeforeKill);

      await start({ ACK_WAIT_MS: '1500', CONCURRENCY: '16' });
      await expectEventually(async () => expect(await redis.hlen(`${key}:sink`)).toBe(ids.length), {
        timeoutMs: 60_000,
      });
      expect((await redis.hkeys(`${key}:sink`)).sort()).toEqual([...ids].sort());
      await expectEventually(async () => {
        const info = await nats.jsm.consumers.info(nats.topology.signalsStream, DURABLE);
        expect({ pending: info.num_pending, ackPending: info.num_ack_pending }).toEqual({
          pending: 0,
          ackPending: 0,
        });
      });
    },
    PROCESS_TEST_MS,
  );

  it(
    'drains on SIGTERM: handlers in flight finish and are acked before exit',
    async () => {
      const ids = await publishMany(300);
      // Messages still on their way from the server when the pull closes come back after the ack
      // wait (what the client had buffered is nak'ed at once); a short one keeps the test quick.
      // 16 handlers finish; later ones hold until SIGTERM, so the drain has work in flight.
      const first = await start({ HOLD_AFTER: '16', CONCURRENCY: '8', ACK_WAIT_MS: '3000' });
      await expectEventually(
        async () => {
          const [started, done] = await Promise.all([
            redis.scard(`${key}:started`),
            redis.scard(`${key}:done`),
          ]);
          expect(done).toBe(16);
          expect(started).toBeGreaterThan(done);
        },
        { timeoutMs: 60_000 },
      );
      const heldAtSigterm = await redis.sdiff(`${key}:started`, `${key}:done`);
      first.kill('SIGTERM');
      expect(await first.exited).toBe(0);

      const started = (await redis.smembers(`${key}:started`)).sort();
      const doneByFirst = (await redis.smembers(`${key}:done`)).sort();
      expect(doneByFirst.length).toBeLessThan(ids.length);
      expect(doneByFirst).toEqual(started);
      expect(doneByFirst).toEqual(expect.arrayContaining(heldAtSigterm));

      await start({ CONCURRENCY: '8', ACK_WAIT_MS: '3000' });
      await expectEventually(async () => expect(await redis.hlen(`${key}:sink`)).toBe(ids.length), {
        timeoutMs: 60_000,
      });
      // Every message the first process handled was acked before it exited: none ran again.
      const attempts = await redis.hmget(`${key}:attempts-by-id`, ...doneByFirst);
      expect(attempts.filter((count) => count !== '1')).toEqual([]);
    },
    PROCESS_TEST_MS,
  );

  it(
    'a message that kills the process on every delivery ends in DEADLETTER once, as max_deliveries',
    async () => {
      const maxDeliver = 3;
      const env = { POISON_USER: 'poison', MAX_DELIVER: String(maxDeliver), ACK_WAIT_MS: '1000' };
      const publisher = new EventPublisher(nats.js, nats.topology);
      const poison = await publisher.publish('tip.feedback', 'poison', tipFeedbackData());
      const ids = await publishMany(20);

      // Restarted after every death, as an orchestrator would, until the message is given up on.
      const deaths: Array<number | string> = [];
      let running = await start(env);
      const letters = await expectEventually(
        async () => {
          if (!alive(running)) {
            deaths.push(await running.exited);
            running = await start(env);
          }
          const found = (await readDeadLetters(nats)).filter(
            (letter) => letter.originalSequence === poison.seq,
          );
          expect(found).toHaveLength(1);
          return found;
        },
        { timeoutMs: 90_000, intervalMs: 100 },
      );

      expect(letters[0]).toMatchObject({
        kind: 'max_deliveries',
        subject: 'deadletter.sink.signals.tip.feedback.poison',
        originalSubject: 'signals.tip.feedback.poison',
        consumer: DURABLE,
        deliveries: maxDeliver,
        body: JSON.stringify(poison.envelope),
      });
      expect(letters[0]!.reason).toMatch(/delivery limit reached/);
      // Every delivery that reached a handler killed the process (a delivery can also go to a
      // dead process's pull request, so there may be fewer deaths than deliveries).
      expect(deaths.length).toBeGreaterThanOrEqual(1);
      expect(deaths.length).toBeLessThanOrEqual(maxDeliver);
      expect(deaths.every((death) => death === 'SIGKILL')).toBe(true);
      expect(Number(await redis.get(`${key}:poison-deliveries`))).toBe(deaths.length);

      // The others share its fate only as collateral: a message in flight in a killed process
      // loses that delivery too, and may reach the limit with it. Each ends handled or copied.
      await expectEventually(
        async () => {
          const [handled, letters] = await Promise.all([
            redis.hkeys(`${key}:sink`),
            readDeadLetters(nats),
          ]);
          const copied = letters.map((letter) => (JSON.parse(letter.body) as { id: string }).id);
          const accounted = new Set([...handled, ...copied]);
          expect(ids.filter((id) => !accounted.has(id))).toEqual([]);
        },
        { timeoutMs: 60_000 },
      );
      // Every advisory was settled, and no message was copied twice.
      await expectEventually(async () => {
        const info = await nats.jsm.consumers.info(
          nats.topology.advisoryStream,
          'sink__max_deliveries',
        );
        expect({ pending: info.num_pending, ackPending: info.num_ack_pending }).toEqual({
          pending: 0,
          ackPending: 0,
        });
      });
      const sequences = (await readDeadLetters(nats)).map((letter) => letter.originalSequence);
      expect(sequences.filter((seq) => seq === poison.seq)).toHaveLength(1);
      expect(new Set(sequences).size).toBe(sequences.length);
      expect(alive(running)).toBe(true);
    },
    PROCESS_TEST_MS,
  );

  it('refuses to start with a bad environment variable, naming it', async () => {
    const running = await start({ PORT: 'not-a-port' });
    expect(await running.exited).toBe(78);
    expect(running.output()).toMatch(/Invalid environment:\n\s+- PORT: /);
  });
});
