import { RPC, type Envelope } from '@oo/contracts';
import { expectEventually, readSignals } from '@oo/testing';
import { Redis } from 'ioredis';
import { topicFor } from '../src/sending/push-payload.js';
import { PushHarness, type PushUser } from './support/push-harness.js';

const TTL_SECONDS = 4 * 3600;

/**
 * Sending, against the local push service as a process: it decrypts what arrives (RFC 8291)
 * with the device's private key and checks the VAPID JWT (RFC 8292), so these tests read what a
 * browser would get. Also: devices over rpc.notifier.*, the push service's refusals, deletion.
 */
describe('push delivery', () => {
  let harness: PushHarness;

  beforeAll(async () => {
    harness = await PushHarness.start('notifier_delivery', 1, {
      PUSH_TTL_SECONDS: String(TTL_SECONDS),
      VAPID_SUBJECT: 'mailto:push@oo.example',
    });
  }, 120_000);

  afterAll(async () => {
    await harness?.stop();
  });

  const sentEvents = (userId: string) =>
    readSignals<'push.sent'>(harness.nats, `signals.push.sent.${userId}`);
  const deliveryLog = async (userId: string) =>
    (
      await harness.sql.query<{ outcome: string; status_code: number | null; attempt: number }>(
        'SELECT outcome, status_code, attempt FROM notifier.push_delivery WHERE user_id = $1 ORDER BY at, attempt',
        [userId],
      )
    ).rows;
  const devices = async (userId: string) =>
    (await harness.rpc.call(RPC.notifier.list, { userId }, 5_000)).subscriptions;
  // 10:00 UTC: outside everyone's quiet hours here.
  const morning = new Date('2026-06-01T10:00:00Z');

  it('pushes the tip encrypted for the device, signed with our VAPID key, with TTL, Urgency and Topic', async () => {
    const user = await harness.user('delivered', {
      tasks: [{ taskId: 'rent', title: 'Pay rent — 1.200 € to Ümit', priority: 4 }],
    });

    expect(await harness.decider.consider(user.userId, morning)).toBe('sent');

    const [message] = await harness.control.delivered(user.deviceId);
    const payload = JSON.parse(message!.payload) as Record<string, unknown>;
    expect(payload).toEqual({
      v: 1,
      tipId: expect.any(String) as string,
      title: 'Pay rent — 1.200 € to Ümit',
      body: 'P1',
      url: `/?tip=${payload.tipId as string}`,
    });
    expect(message!.vapid).toMatchObject({
      sub: 'mailto:push@oo.example',
      aud: harness.push.url,
    });
    const { publicKey } = await harness.rpc.call(RPC.notifier.vapidPublicKey, {}, 5_000);
    expect(message!.vapid.publicKey).toBe(publicKey);
    // 10:00 with quiet hours at 22:00: the default TTL fits before them.
    expect(message!.ttl).toBe(TTL_SECONDS);
    expect(message!.urgency).toBe('high');
    expect(message!.topic).toBe(topicFor(user.userId));

    const [event] = await sentEvents(user.userId);
    expect(event!.data).toEqual({
      tipId: payload.tipId,
      endpointHash: user.endpointHash,
      status: 'sent',
      statusCode: 201,
      attempts: 1,
    });
    expect(await deliveryLog(user.userId)).toEqual([
      { outcome: 'sent', status_code: 201, attempt: 1 },
    ]);
    expect((await devices(user.userId))[0]!.lastSentAt).not.toBeNull();
  });

  it('never keeps a push past the start of quiet hours, and cuts a long title to fit 3 KB', async () => {
    const user = await harness.user('late', {
      tasks: [{ taskId: 'essay', title: 'ü'.repeat(4000), priority: 1 }],
    });
    // 21:30 UTC, quiet from 22:00: a device offline now must not show it at midnight.
    expect(await harness.decider.consider(user.userId, new Date('2026-06-01T21:30:00Z'))).toBe(
      'sent',
    );
    const [message] = await harness.control.delivered(user.deviceId);
    expect(message!.ttl).toBe(30 * 60);
    expect(message!.urgency).toBe('low');
    expect(Buffer.byteLength(message!.payload)).toBeLessThanOrEqual(3072);
    const { title } = JSON.parse(message!.payload) as { title: string };
    expect(title.endsWith('…')).toBe(true);
    expect(title.startsWith('üüü')).toBe(true);
  });

  it('pushes to every device of the user; a 410 deletes that one and nothing goes to it again', async () => {
    const user = await harness.user('gone', {
      tasks: [
        { taskId: 'one', title: 'One' },
        { taskId: 'two', title: 'Two' },
      ],
    });
    const phone = await harness.addDevice(user.userId);
    await harness.control.respondNext({ subscriptionId: user.deviceId, status: 410 });

    expect(await harness.decider.consider(user.userId, morning)).toBe('sent');
    expect(await harness.received(phone.deviceId)).toHaveLength(1);
    expect((await devices(user.userId)).map(({ endpointHash }) => endpointHash)).toEqual([
      phone.endpointHash,
    ]);
    const statuses = (await sentEvents(user.userId)).map(({ data }) => [
      data.endpointHash,
      data.status,
    ]);
    expect(statuses).toEqual(
      expect.arrayContaining([
        [user.endpointHash, 'gone'],
        [phone.endpointHash, 'sent'],
      ]),
    );

    expect(
      await harness.decider.consider(user.userId, new Date(morning.getTime() + 3 * 3_600_000)),
    ).toBe('sent');
    expect(await harness.received(phone.deviceId)).toHaveLength(2);
    // Only the first push was ever tried on the gone device.
    const triedGone = (await harness.control.attempts(user.deviceId)).length;
    expect(triedGone).toBe(1);
  });

  it('waits out a 429’s Retry-After, and retries a 500', async () => {
    const user = await harness.user('flaky', { tasks: [{ taskId: 'x', title: 'X' }] });
    await harness.control.respondNext({
      subscriptionId: user.deviceId,
      status: 429,
      retryAfter: 1,
    });
    expect(await harness.decider.consider(user.userId, morning)).toBe('sent');
    // The second request came after the second the push service asked for.
    const [refused, accepted] = await harness.control.attempts(user.deviceId);
    expect(Date.parse(accepted!.at) - Date.parse(refused!.at)).toBeGreaterThanOrEqual(1_000);

    const other = await harness.user('five_hundred', { tasks: [{ taskId: 'y', title: 'Y' }] });
    await harness.control.respondNext({ subscriptionId: other.deviceId, status: 500 });
    expect(await harness.decider.consider(other.userId, morning)).toBe('sent');

    expect(await deliveryLog(user.userId)).toEqual([
      { outcome: 'retry', status_code: 429, attempt: 1 },
      { outcome: 'sent', status_code: 201, attempt: 2 },
    ]);
    expect(await deliveryLog(other.userId)).toEqual([
      { outcome: 'retry', status_code: 500, attempt: 1 },
      { outcome: 'sent', status_code: 201, attempt: 2 },
    ]);
    expect((await sentEvents(other.userId)).map(({ data }) => data.attempts)).toEqual([2]);
  });

  it('gives the slot back when no device took the push: 500s to the end, or a long Retry-After', async () => {
    const user = await harness.user('down', { tasks: [{ taskId: 'z', title: 'Z' }] });
    await harness.control.respondNext({ subscriptionId: user.deviceId, status: 503, times: 3 });

    expect(await harness.decider.consider(user.userId, morning)).toBe('not_delivered');
    expect((await sentEvents(user.userId)).map(({ data }) => [data.status, data.attempts])).toEqual(
      [['failed', 3]],
    );
    // Looked at again in 15 minutes (doubling while pushes keep failing)…
    const { rows } = await harness.sql.query<{ due_at: Date }>(
      'SELECT due_at FROM notifier.push_schedule WHERE user_id = $1',
      [user.userId],
    );
    expect(rows[0]!.due_at).toEqual(new Date(morning.getTime() + 15 * 60_000));
    // …and nothing was delivered, so neither the interval nor the task rule holds it back.
    const soon = new Date(morning.getTime() + 60_000);
    expect(await harness.decider.consider(user.userId, soon)).toBe('sent');

    const paused = await harness.user('paused', { tasks: [{ taskId: 'p', title: 'P' }] });
    await harness.control.respondNext({
      subscriptionId: paused.deviceId,
      status: 429,
      retryAfter: 3600,
    });
    expect(await harness.decider.consider(paused.userId, morning)).toBe('not_delivered');
    const [event] = await sentEvents(paused.userId);
    expect(event!.data).toMatchObject({ status: 'rate_limited', statusCode: 429 });
    // Asked again before the hour is up, the device is left alone.
    expect(await harness.decider.consider(paused.userId, soon)).toBe('not_delivered');
    expect(await harness.control.attempts(paused.deviceId)).toHaveLength(1);
  });

  it('drops a device subscribed with a VAPID key we no longer sign with, without a request', async () => {
    const user = await harness.user('old_key', { tasks: [{ taskId: 'k', title: 'K' }] });
    await harness.sql.query(
      `UPDATE notifier.push_subscription SET vapid_key = 'the-key-before' WHERE user_id = $1`,
      [user.userId],
    );
    expect(await harness.decider.consider(user.userId, morning)).toBe('not_delivered');
    expect(await harness.control.attempts(user.deviceId)).toEqual([]);
    expect(await devices(user.userId)).toEqual([]);
    // No device left: no more looks at this user.
    expect(await harness.decider.consider(user.userId, morning)).toBe('no_device');
  });

  it('keeps at most ten devices per user, dropping the one unused longest', async () => {
    const user = await harness.user('many', { tasks: [{ taskId: 'm', title: 'M' }] });
    const added = [];
    for (let i = 0; i < 10; i++) added.push(await harness.addDevice(user.userId));
    const listed = (await devices(user.userId)).map(({ endpointHash }) => endpointHash);
    expect(listed).toHaveLength(10);
    // The first device (the user's own from the start) went; the newest is there.
    expect(listed).not.toContain(user.endpointHash);
    expect(listed).toContain(added.at(-1)!.endpointHash);
  });

  it('reports a refused VAPID signature as rejected and stops there (no retry)', async () => {
    const user = await harness.user('rejected', { tasks: [{ taskId: 'r', title: 'R' }] });
    await harness.control.respondNext({ subscriptionId: user.deviceId, status: 403 });
    expect(await harness.decider.consider(user.userId, morning)).toBe('not_delivered');
    const [event] = await sentEvents(user.userId);
    expect(event!.data).toMatchObject({ status: 'rejected', statusCode: 403, attempts: 1 });
  });

  describe('devices (rpc.notifier.*)', () => {
    it('refuses what is not a usable subscription, naming the field', async () => {
      const { subscription } = await harness.control.createSubscription();
      const call = (changed: object) =>
        harness.rpc.call(
          RPC.notifier.subscribe,
          { userId: 'refused', subscription: { ...subscription, ...changed } },
          5_000,
        );
      await expect(call({ endpoint: 'http://push.example.com/x' })).rejects.toMatchObject({
        code: 'invalid_request',
        field: 'subscription.endpoint',
      });
      const notOnTheCurve = Buffer.alloc(65, 7);
      notOnTheCurve[0] = 4;
      await expect(
        call({ keys: { ...subscription.keys, p256dh: notOnTheCurve.toString('base64url') } }),
      ).rejects.toMatchObject({ field: 'subscription.keys.p256dh' });
      await expect(call({ keys: { ...subscription.keys, auth: 'short' } })).rejects.toMatchObject({
        code: 'invalid_request',
        field: 'subscription.keys.auth',
      });
      expect(await devices('refused')).toEqual([]);
    });

    it('lists, moves and removes devices; the endpoint itself never leaves the notifier', async () => {
      const { subscription } = await harness.control.createSubscription();
      const first = await harness.rpc.call(
        RPC.notifier.subscribe,
        { userId: 'owner_a', subscription },
        5_000,
      );
      const listed = await devices('owner_a');
      expect(listed).toEqual([
        {
          endpointHash: first.endpointHash,
          pushService: new URL(harness.push.url).host,
          createdAt: expect.any(String) as string,
          lastSentAt: null,
        },
      ]);
      expect(JSON.stringify(listed)).not.toContain(subscription.endpoint);

      // Another account signs in on that browser and subscribes it: the device moves.
      await harness.rpc.call(RPC.notifier.subscribe, { userId: 'owner_b', subscription }, 5_000);
      expect(await devices('owner_a')).toEqual([]);
      expect(await devices('owner_b')).toHaveLength(1);

      expect(
        await harness.rpc.call(
          RPC.notifier.unsubscribe,
          { userId: 'owner_a', endpoint: subscription.endpoint },
          5_000,
        ),
      ).toEqual({ removed: false });
      expect(
        await harness.rpc.call(
          RPC.notifier.unsubscribe,
          { userId: 'owner_b', endpoint: subscription.endpoint },
          5_000,
        ),
      ).toEqual({ removed: true });
      expect(await devices('owner_b')).toEqual([]);
    });

    it('answers the VAPID public key browsers subscribe with', async () => {
      const { publicKey } = await harness.rpc.call(RPC.notifier.vapidPublicKey, {}, 5_000);
      expect(Buffer.from(publicKey, 'base64url')).toHaveLength(65);
    });
  });

  it('on user.deleted forgets the devices, settings, schedule, log and push state, then confirms', async () => {
    const user: PushUser = await harness.user('deleted', { tasks: [{ taskId: 'd', title: 'D' }] });
    expect(await harness.decider.consider(user.userId, morning)).toBe('sent');

    await harness.publisher.publish('user.deleted', user.userId, {
      requestedAt: new Date().toISOString(),
    });
    await expectEventually(async () => {
      const confirmations = await readSignals<'user.purged'>(
        harness.nats,
        `signals.user.purged.${user.userId}`,
      );
      expect(confirmations.map((event: Envelope<'user.purged'>) => event.data.service)).toEqual([
        'notifier',
      ]);
    });
    for (const table of ['push_subscription', 'push_settings', 'push_schedule', 'push_delivery']) {
      const { rowCount } = await harness.sql.query(
        `SELECT 1 FROM notifier.${table} WHERE user_id = $1`,
        [user.userId],
      );
      expect({ table, rows: rowCount }).toEqual({ table, rows: 0 });
    }
    const redis = harness.notifiers[0]!.app.get(Redis);
    expect(await redis.keys(`*{${user.userId}}*`)).toEqual([]);
  });
});
