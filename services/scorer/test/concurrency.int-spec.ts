import type { Envelope } from '@oo/contracts';
import {
  exactSums,
  expectEventually,
  freePortRange,
  randomGridFeatures,
  readMetric,
  startTsProcess,
  waitForHealth,
  type RunningProcess,
} from '@oo/testing';
import { scorerHarness, type ScorerHarness } from './support/scorer-harness.js';

const REWARDS = [1, -1, 0, 0.5, -0.5];
const EVENTS = 2000;
const INSTANCES = 3;

function appliedBy(port: number): Promise<number> {
  return readMetric(
    `http://127.0.0.1:${port}`,
    'oo_scorer_feedback_events_total{outcome="applied"',
  );
}

describe('three scorer processes learning from one user at once', () => {
  let harness: ScorerHarness;
  const processes: RunningProcess[] = [];
  let ports: number[];

  beforeAll(async () => {
    harness = await scorerHarness('concurrency');
    const base = await freePortRange(INSTANCES);
    ports = Array.from({ length: INSTANCES }, (_, i) => base + i);
    for (const port of ports) {
      processes.push(
        startTsProcess('services/scorer/src/main.ts', { ...harness.env, PORT: String(port) }),
      );
    }
    await Promise.all(
      ports.map((port, i) =>
        waitForHealth(`http://127.0.0.1:${port}`, { timeoutMs: 90_000, process: processes[i] }),
      ),
    );
  }, 180_000);

  afterAll(async () => {
    for (const process of processes) process.kill('SIGTERM');
    await Promise.all(processes.map((process) => process.exited));
    await harness.close();
  });

  async function settled(): Promise<void> {
    await expectEventually(
      async () => {
        const info = await harness.nats.jsm.consumers.info(
          harness.nats.topology.signalsStream,
          'scorer__tip_feedback',
        );
        expect(info.num_pending + info.num_ack_pending).toBe(0);
      },
      { timeoutMs: 20_000 },
    );
  }

  it('2,000 events published at once give exactly n = 2000 and the exact A and b; re-publishing each twice changes nothing', async () => {
    const userId = 'u-contended';
    const observations = Array.from({ length: EVENTS }, (_, i) => ({
      reward: REWARDS[i % REWARDS.length]!,
      features: randomGridFeatures(5),
    }));
    const events: Array<Envelope<'tip.feedback'>> = observations.map(({ reward, features }) =>
      harness.feedback(userId, { reward, features }),
    );
    await Promise.all(events.map((event) => harness.publisher.publishEnvelope(event)));

    await expectEventually(
      async () => expect((await harness.rpc.call('rpc.scorer.stats', { userId })).n).toBe(EVENTS),
      { timeoutMs: 20_000 },
    );
    await settled();
    const exact = exactSums(observations, 5);
    const stats = await harness.rpc.call('rpc.scorer.stats', { userId });
    expect(stats.n).toBe(EVENTS);
    expect(stats.A).toEqual(exact.A);
    expect(stats.b).toEqual(exact.b);
    expect(stats.rewardSum).toBe(exact.rewardSum);
    // Every instance took part: this was a race, not one process doing all the work.
    const shares = await Promise.all(ports.map(appliedBy));
    expect(shares.reduce((sum, share) => sum + share, 0)).toBe(EVENTS);
    for (const share of shares) expect(share).toBeGreaterThan(0);

    // Two more stream messages per event (new Nats-Msg-Id), same envelope id.
    const subject = harness.nats.topology.wire(`signals.tip.feedback.${userId}`);
    await Promise.all(
      [1, 2].flatMap((copy) =>
        events.map((event) =>
          harness.nats.js.publish(subject, JSON.stringify(event), { msgID: `${event.id}/${copy}` }),
        ),
      ),
    );
    await settled();
    expect(await harness.rpc.call('rpc.scorer.stats', { userId })).toEqual(stats);
  }, 60_000);
});
