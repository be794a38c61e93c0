import { createEnvelope } from '@oo/contracts';
import { consumerCaughtUp, expectEventually, taskSyncedData } from '@oo/testing';
import { v7 as uuidv7 } from 'uuid';
import { PushClaims } from '../src/scheduling/push-claims.js';
import { PushDecider } from '../src/scheduling/push-decider.js';
import { ScheduleRepository } from '../src/scheduling/schedule.repository.js';
import { PushHarness } from './support/push-harness.js';

const BERLIN_NIGHTS = { start: '22:00', end: '07:00' };

/**
 * When to push, against real NATS, Redis, Postgres and the local push service: quiet hours on
 * the user's own clock (across DST), the same task never twice in 24 h, the daily cap and the
 * minimum interval — also with two notifier instances and every trigger delivered three times.
 * The clock is the test's: it drives the decider and the timer with its own `now`.
 */
describe('push rules', () => {
  let harness: PushHarness;

  beforeAll(async () => {
    harness = await PushHarness.start('notifier_rules', 2, {
      PUSH_DAILY_CAP: '3',
      PUSH_MIN_INTERVAL_MINUTES: '120',
    });
  }, 120_000);

  afterAll(async () => {
    await harness?.stop();
  });

  const schedule = () => harness.notifiers[0]!.app.get(ScheduleRepository);

  describe.each([
    // The last Sunday of March: at 02:00 CET the clocks go to 03:00 CEST (UTC+2).
    ['March', '2026-03-28T22:30:00Z', '2026-03-29T05:00:00Z'],
    // The last Sunday of October: at 03:00 CEST the clocks go back to 02:00 CET (UTC+1).
    ['October', '2026-10-24T21:30:00Z', '2026-10-25T06:00:00Z'],
  ])(
    'quiet hours 22:00–07:00 in Europe/Berlin, the night of the %s change',
    (_, lateEvening, sevenLocal) => {
      it('sends nothing inside them and the deferred push at 07:00 local', async () => {
        const user = await harness.user('berlin', {
          timeZone: 'Europe/Berlin',
          quietHours: BERLIN_NIGHTS,
          tasks: [{ taskId: 'taxes', title: 'File the tax return' }],
        });
        const evening = new Date(lateEvening); // 23:30 local

        expect(await harness.decider.consider(user.userId, evening)).toBe('quiet_hours');
        expect(await schedule().dueAt(user.userId)).toEqual({
          dueAt: new Date(sevenLocal),
          reason: 'quiet_hours',
        });
        // Nobody was asked for a tip during the night, and nothing went out.
        expect(harness.recommendRequests.filter((r) => r.userId === user.userId)).toEqual([]);

        const justBefore = new Date(new Date(sevenLocal).getTime() - 1_000);
        expect((await harness.scheduler.runDue(() => justBefore)).has(user.userId)).toBe(false);
        expect(await harness.decider.consider(user.userId, justBefore)).toBe('quiet_hours');
        expect(await harness.received(user.deviceId)).toEqual([]);

        const outcomes = await harness.scheduler.runDue(() => new Date(sevenLocal));
        expect(outcomes.get(user.userId)).toBe('sent');
        const [tip] = await harness.received(user.deviceId);
        expect(tip).toMatchObject({ title: 'File the tax return' });
        // The decision was made at 07:00, not the night before.
        expect(harness.recommendRequests.filter((r) => r.userId === user.userId)).toEqual([
          expect.objectContaining({ channel: 'push', now: new Date(sevenLocal).toISOString() }),
        ]);
      });
    },
  );

  it('never pushes the same task twice in 24 h, even when the recommender offers it again', async () => {
    const user = await harness.user('same_task', {
      tasks: [{ taskId: 'call-mum', title: 'Call mum' }],
      ignoresExclusions: true,
    });
    const morning = new Date('2026-06-01T08:00:00Z');

    expect(await harness.decider.consider(user.userId, morning)).toBe('sent');
    const later = (hours: number) => new Date(morning.getTime() + hours * 3_600_000);
    // The notifier asks without it…
    expect(await harness.decider.consider(user.userId, later(3))).toBe('same_task');
    expect(harness.recommendRequests.at(-1)).toMatchObject({ excludeTaskIds: ['call-mum'] });
    // …and past 24 h the task may come again.
    expect(await harness.decider.consider(user.userId, later(24.1))).toBe('sent');
    expect((await harness.received(user.deviceId)).map(({ title }) => title)).toEqual([
      'Call mum',
      'Call mum',
    ]);
  });

  it('holds the minimum interval and the daily cap on the user’s calendar', async () => {
    const user = await harness.user('caps', {
      timeZone: 'America/New_York',
      tasks: ['a', 'b', 'c', 'd', 'e'].map((id) => ({ taskId: id, title: `Task ${id}` })),
    });
    // 08:00 in New York (EDT, UTC−4).
    const start = new Date('2026-06-01T12:00:00Z');
    const at = (minutes: number) => new Date(start.getTime() + minutes * 60_000);

    expect(await harness.decider.consider(user.userId, at(0))).toBe('sent');
    expect(await harness.decider.consider(user.userId, at(119))).toBe('interval');
    expect(await schedule().dueAt(user.userId)).toEqual({ dueAt: at(120), reason: 'interval' });
    expect(await harness.decider.consider(user.userId, at(120))).toBe('sent');
    expect(await harness.decider.consider(user.userId, at(240))).toBe('sent');
    // Three today: the fourth waits for midnight in New York (04:00 UTC).
    expect(await harness.decider.consider(user.userId, at(360))).toBe('daily_cap');
    expect(await schedule().dueAt(user.userId)).toEqual({
      dueAt: new Date('2026-06-02T04:00:00Z'),
      reason: 'daily_cap',
    });
    expect(await harness.received(user.deviceId)).toHaveLength(3);
    // A new day on the user's calendar (07:00 local: outside 22:00–07:00).
    expect(await harness.decider.consider(user.userId, new Date('2026-06-02T11:00:00Z'))).toBe(
      'sent',
    );
    expect((await harness.received(user.deviceId)).map(({ title }) => title)).toEqual([
      'Task a',
      'Task b',
      'Task c',
      'Task d',
    ]);
  });

  it('ten looks at once, across two instances, for a recommender that offers a new task each time: one push', async () => {
    const user = await harness.user('racing', {
      tasks: Array.from({ length: 10 }, (_, i) => ({ taskId: `r${i}`, title: `Race ${i}` })),
      rotates: true,
    });
    const deciders = harness.notifiers.map((notifier) => notifier.app.get(PushDecider));
    const now = new Date('2026-06-03T09:00:00Z');

    const outcomes = await Promise.all(
      Array.from({ length: 10 }, (_, i) => deciders[i % 2]!.consider(user.userId, now)),
    );

    expect(outcomes.filter((outcome) => outcome === 'sent')).toHaveLength(1);
    expect(await harness.received(user.deviceId)).toHaveLength(1);
  });

  it('twenty claims at once for twenty different tasks take one push slot', async () => {
    const claims = harness.notifiers.map((notifier) => notifier.app.get(PushClaims));
    const userId = `claims_${Date.now()}`;
    const now = Date.parse('2026-06-04T09:00:00Z');
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        claims[i % 2]!.claim(userId, `task${i}`, now, '2026-06-04', {
          minIntervalMs: 0,
          dailyCap: 1,
        }),
      ),
    );
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(new Set(results.flatMap((result) => (result.ok ? [] : [result.refusal])))).toEqual(
      new Set(['cap']),
    );
  });

  it('with two instances and three copies of every task.synced (what redelivery does to a handler), each user gets exactly one push', async () => {
    // Quiet hours well away from the real clock the consumers read.
    const hour = new Date().getUTCHours();
    const quiet = {
      start: `${String((hour + 6) % 24).padStart(2, '0')}:00`,
      end: `${String((hour + 8) % 24).padStart(2, '0')}:00`,
    };
    const users = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        harness.user(`synced${i}`, {
          quietHours: quiet,
          tasks: [
            { taskId: `t${i}a`, title: `First of ${i}` },
            { taskId: `t${i}b`, title: `Second of ${i}` },
            { taskId: `t${i}c`, title: `Third of ${i}` },
          ],
          rotates: true,
        }),
      ),
    );

    await Promise.all(
      users.flatMap(({ userId }) => {
        const data = taskSyncedData(2);
        // Three deliveries of one sync: what a redelivery looks like to the consumer.
        return [1, 2, 3].map(() =>
          harness.publisher.publishEnvelope(
            createEnvelope('task.synced', userId, data, { id: uuidv7() }),
          ),
        );
      }),
    );

    for (const user of users) {
      await expectEventually(async () =>
        expect(await harness.received(user.deviceId)).toHaveLength(1),
      );
    }
    // Every delivery handled, by one instance or the other: still one push each.
    await consumerCaughtUp(harness.nats, 'notifier__task_synced');
    for (const user of users) expect(await harness.received(user.deviceId)).toHaveLength(1);
    const attempts = await harness.control.attempts();
    const mine = new Set(users.map(({ deviceId }) => deviceId));
    expect(attempts.filter(({ subscriptionId }) => mine.has(subscriptionId))).toHaveLength(6);
  });
});
