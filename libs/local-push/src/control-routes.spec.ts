import webpush from 'web-push';
import { sendWebPush } from '../test/sender.js';
import { connectLocalPush, startLocalPush, waitForMessages, type LocalPush } from './index.js';

describe('local push service driven over HTTP (connectLocalPush)', () => {
  let push: LocalPush;

  beforeAll(async () => {
    push = await startLocalPush();
  });
  afterAll(() => push.close());

  it('offers the whole control through /_control, as a test of another process would use it', async () => {
    const control = connectLocalPush(push.url);
    const vapid = webpush.generateVAPIDKeys();

    const device = await control.createSubscription({ applicationServerKey: vapid.publicKey });
    expect(device.subscription.endpoint).toBe(`${push.url}/push/${device.id}`);

    await control.setOnline(device.id, false);
    await sendWebPush(device.subscription, 'queued', vapid, { topic: 'tip' });
    expect((await control.queued(device.id)).map((m) => m.payload)).toEqual(['queued']);
    await control.setOnline(device.id, true);

    await control.respondNext({ subscriptionId: device.id, status: 429, retryAfter: 3 });
    const throttled = await sendWebPush(device.subscription, 'throttled', vapid);
    expect(throttled.headers.get('retry-after')).toBe('3');
    await sendWebPush(device.subscription, 'accepted', vapid, { urgency: 'low' });

    const delivered = await waitForMessages(control, { subscriptionId: device.id, count: 2 });
    expect(delivered.map(({ payload, urgency }) => [payload, urgency])).toEqual([
      ['queued', 'normal'],
      ['accepted', 'low'],
    ]);
    expect((await control.delivered()).map((m) => m.payload)).toEqual(['queued', 'accepted']);
    expect((await control.attempts(device.id)).map((a) => a.status)).toEqual([201, 429, 201]);

    await control.removeSubscription(device.id);
    expect((await sendWebPush(device.subscription, 'gone', vapid)).status).toBe(410);
    await expect(control.setOnline('no-such-device', true)).rejects.toThrow(/no subscription/);

    await control.reset();
    expect(await control.delivered()).toEqual([]);
    expect(await control.attempts()).toEqual([]);
    expect((await sendWebPush(device.subscription, 'after reset', vapid)).status).toBe(404);
  });

  it('waitForMessages fails at its deadline, saying how many arrived', async () => {
    const device = await push.control.createSubscription();

    await expect(
      waitForMessages(push.control, { subscriptionId: device.id, count: 1, timeoutMs: 50 }),
    ).rejects.toThrow(/1 push message\(s\) to .+, 0 delivered/);
  });
});
