import webpush, { type VapidKeys } from 'web-push';
import { sendWebPush } from '../test/sender.js';
import { startLocalPush, type CreatedSubscription, type LocalPush } from './index.js';

describe('local push service: delivery and scripted answers', () => {
  let push: LocalPush;
  let vapid: VapidKeys;
  let device: CreatedSubscription;
  // The service's clock: moved forward to let TTLs run out, instead of sleeping.
  let now = Date.now();

  beforeAll(async () => {
    push = await startLocalPush({ now: () => now });
    vapid = webpush.generateVAPIDKeys();
  });
  afterAll(() => push.close());
  beforeEach(async () => {
    now = Date.now();
    await push.control.reset();
    device = await push.control.createSubscription();
  });

  const payloads = async (
    of: (subscriptionId: string) => Promise<{ payload: string }[]>,
  ): Promise<string[]> => (await of(device.id)).map(({ payload }) => payload);

  describe('an offline device (RFC 8030 §5.2, §5.4)', () => {
    it('gets what was queued once it is back online', async () => {
      await push.control.setOnline(device.id, false);

      expect((await sendWebPush(device.subscription, 'first', vapid, { TTL: 60 })).status).toBe(
        201,
      );
      await sendWebPush(device.subscription, 'second', vapid, { TTL: 60 });

      expect(await payloads(push.control.delivered)).toEqual([]);
      expect(await payloads(push.control.queued)).toEqual(['first', 'second']);

      await push.control.setOnline(device.id, true);

      expect(await payloads(push.control.delivered)).toEqual(['first', 'second']);
      expect(await payloads(push.control.queued)).toEqual([]);
    });

    it('keeps only the newest queued message per Topic', async () => {
      await push.control.setOnline(device.id, false);

      await sendWebPush(device.subscription, 'tip v1', vapid, { topic: 'tip' });
      await sendWebPush(device.subscription, 'streak', vapid, { topic: 'streak' });
      await sendWebPush(device.subscription, 'untitled', vapid);
      await sendWebPush(device.subscription, 'tip v2', vapid, { topic: 'tip' });
      await push.control.setOnline(device.id, true);

      expect(await payloads(push.control.delivered)).toEqual(['streak', 'untitled', 'tip v2']);
    });

    it('does not replace by Topic what was already delivered', async () => {
      await sendWebPush(device.subscription, 'tip v1', vapid, { topic: 'tip' });
      await sendWebPush(device.subscription, 'tip v2', vapid, { topic: 'tip' });

      expect(await payloads(push.control.delivered)).toEqual(['tip v1', 'tip v2']);
    });

    it('drops what outlived its TTL, and TTL 0 at once', async () => {
      await push.control.setOnline(device.id, false);

      await sendWebPush(device.subscription, 'short-lived', vapid, { TTL: 30 });
      await sendWebPush(device.subscription, 'long-lived', vapid, { TTL: 3600 });
      const now0 = await sendWebPush(device.subscription, 'now or never', vapid, { TTL: 0 });
      expect(now0.status).toBe(201);
      expect(await payloads(push.control.queued)).toEqual(['short-lived', 'long-lived']);

      now += 30_000;
      await push.control.setOnline(device.id, true);

      expect(await payloads(push.control.delivered)).toEqual(['long-lived']);
    });

    it('delivers TTL 0 to an online device', async () => {
      await sendWebPush(device.subscription, 'now or never', vapid, { TTL: 0 });

      expect(await payloads(push.control.delivered)).toEqual(['now or never']);
    });
  });

  describe('respondNext', () => {
    it('answers 429 with Retry-After, without delivering, then accepts again', async () => {
      await push.control.respondNext({ status: 429, retryAfter: 7 });

      const throttled = await sendWebPush(device.subscription, 'too soon', vapid);
      const retried = await sendWebPush(device.subscription, 'retried', vapid);

      expect(throttled.status).toBe(429);
      expect(throttled.headers.get('retry-after')).toBe('7');
      expect(retried.status).toBe(201);
      expect(await payloads(push.control.delivered)).toEqual(['retried']);
      expect((await push.control.attempts(device.id)).map(({ status }) => status)).toEqual([
        429, 201,
      ]);
    });

    it('gives a 429 a Retry-After even when the script names none', async () => {
      await push.control.respondNext({ status: 429 });

      const throttled = await sendWebPush(device.subscription, 'too soon', vapid);

      expect(throttled.headers.get('retry-after')).toMatch(/^\d+$/);
    });

    it('410 removes the subscription: the next message meets 410 too', async () => {
      await push.control.respondNext({ subscriptionId: device.id, status: 410 });

      const first = await sendWebPush(device.subscription, 'hello', vapid);
      const second = await sendWebPush(device.subscription, 'hello again', vapid);

      expect([first.status, second.status]).toEqual([410, 410]);
      await expect(push.control.setOnline(device.id, false)).rejects.toThrow(/no subscription/);
      expect(await push.control.delivered()).toEqual([]);
    });

    it('404 removes the subscription as well', async () => {
      await push.control.respondNext({ status: 404 });

      expect((await sendWebPush(device.subscription, 'hello', vapid)).status).toBe(404);
      expect((await sendWebPush(device.subscription, 'hello', vapid)).status).toBe(410);
    });

    it('answers 500 `times` times, then 201', async () => {
      await push.control.respondNext({ status: 500, times: 2 });

      const statuses = [];
      for (const payload of ['a', 'b', 'c'])
        statuses.push((await sendWebPush(device.subscription, payload, vapid)).status);

      expect(statuses).toEqual([500, 500, 201]);
      expect(await payloads(push.control.delivered)).toEqual(['c']);
      expect(await push.control.attempts()).toHaveLength(3);
    });

    it('aims at one subscription when told, leaving the others alone', async () => {
      const other = await push.control.createSubscription();
      await push.control.respondNext({ subscriptionId: other.id, status: 503 });

      const mine = await sendWebPush(device.subscription, 'mine', vapid);
      const theirs = await sendWebPush(other.subscription, 'theirs', vapid);

      expect([mine.status, theirs.status]).toEqual([201, 503]);
      expect(theirs.headers.get('retry-after')).toBeNull();
    });

    it('refuses to script a status that is not an error', async () => {
      await expect(push.control.respondNext({ status: 201 })).rejects.toThrow(/4xx or 5xx/);
    });
  });
});
