import webpush, { type VapidKeys } from 'web-push';
import {
  inSeconds,
  send,
  sendWebPush,
  SUBJECT,
  vapidAuthorization,
  webPushRequest,
} from '../test/sender.js';
import { startLocalPush, type CreatedSubscription, type LocalPush } from './index.js';

// Typed as unknown: Jest's asymmetric matchers are `any`, which the lint rules keep out.
const anyString: unknown = expect.any(String);
const anyNumber: unknown = expect.any(Number);
const matching = (pattern: RegExp): unknown => expect.stringMatching(pattern);

describe('local push service: receiving what web-push sends', () => {
  let push: LocalPush;
  let vapid: VapidKeys;
  let device: CreatedSubscription;

  beforeAll(async () => {
    push = await startLocalPush();
    vapid = webpush.generateVAPIDKeys();
  });
  afterAll(() => push.close());
  beforeEach(async () => {
    await push.control.reset();
    device = await push.control.createSubscription();
  });

  describe('accepted messages', () => {
    it('hands out subscriptions shaped like PushSubscription.toJSON()', () => {
      expect(device.subscription).toEqual({
        endpoint: `${push.url}/push/${device.id}`,
        expirationTime: null,
        keys: {
          p256dh: matching(/^[\w-]{87}$/),
          auth: matching(/^[\w-]{22}$/),
        },
      });
      expect(Buffer.from(device.subscription.keys.p256dh, 'base64url')[0]).toBe(0x04);
    });

    it('answers 201 with a Location and records the decrypted payload with its headers', async () => {
      const payload = JSON.stringify({ title: 'Your next tip', body: 'Drink a glass of water' });

      const response = await sendWebPush(device.subscription, payload, vapid, {
        TTL: 3600,
        urgency: 'high',
        topic: 'tip-of-the-day',
      });

      expect(response.status).toBe(201);
      const [message] = await push.control.delivered(device.id);
      expect(response.headers.get('location')).toBe(`/message/${message!.id}`);
      expect(response.headers.get('ttl')).toBe('3600');
      expect(message).toEqual({
        id: anyString,
        subscriptionId: device.id,
        payload,
        ttl: 3600,
        urgency: 'high',
        topic: 'tip-of-the-day',
        vapid: { sub: SUBJECT, aud: push.url, exp: anyNumber, publicKey: vapid.publicKey },
        receivedAt: anyString,
      });
      expect(await push.control.attempts()).toEqual([
        { subscriptionId: device.id, status: 201, at: anyString, messageId: message!.id },
      ]);
    });

    it('decrypts a ~3 KB payload of non-ASCII text byte for byte', async () => {
      const payload = 'Grüße, 東京 🌧️ — '.repeat(120);
      expect(Buffer.byteLength(payload)).toBeGreaterThan(3000);

      const response = await sendWebPush(device.subscription, payload, vapid, { TTL: 60 });

      expect(response.status).toBe(201);
      const [message] = await push.control.delivered(device.id);
      expect(message?.payload).toBe(payload);
      expect(message?.urgency).toBe('normal');
      expect(message).not.toHaveProperty('topic');
    });

    it('accepts a message without a body (a tickle) as an empty payload', async () => {
      const response = await sendWebPush(device.subscription, null, vapid, { TTL: 0 });

      expect(response.status).toBe(201);
      expect((await push.control.delivered(device.id)).map((m) => m.payload)).toEqual(['']);
    });

    it('keeps messages per subscription', async () => {
      const other = await push.control.createSubscription();

      await sendWebPush(device.subscription, 'to the phone', vapid);
      await sendWebPush(other.subscription, 'to the laptop', vapid);

      expect((await push.control.delivered(device.id)).map((m) => m.payload)).toEqual([
        'to the phone',
      ]);
      expect((await push.control.delivered()).map((m) => m.payload)).toEqual([
        'to the phone',
        'to the laptop',
      ]);
    });
  });

  describe('VAPID (RFC 8292)', () => {
    async function sendWithAuthorization(authorization: string | null): Promise<Response> {
      const request = webPushRequest(device.subscription, 'hello', vapid);
      const { Authorization: _, ...headers } = request.headers;
      return send({ ...request, headers: authorization ? { ...headers, authorization } : headers });
    }
    const claims = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
      aud: push.url,
      exp: inSeconds(3600),
      sub: SUBJECT,
      ...overrides,
    });

    it('accepts a JWT it did not get from web-push when the claims are right', async () => {
      expect((await sendWithAuthorization(vapidAuthorization(claims(), vapid))).status).toBe(201);
    });

    it('refuses a message without Authorization (401)', async () => {
      const response = await sendWithAuthorization(null);

      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('vapid');
    });

    it('refuses a JWT signed by another key than k (401)', async () => {
      const impostor = webpush.generateVAPIDKeys();
      const signedByImpostor = vapidAuthorization(claims(), impostor);
      const claimingOurKey = signedByImpostor.replace(/k=.*$/, `k=${vapid.publicKey}`);

      const response = await sendWithAuthorization(claimingOurKey);

      expect(response.status).toBe(401);
      expect(((await response.json()) as { message: string }).message).toMatch(/signature/);
    });

    it.each([
      ['an expired JWT', { exp: inSeconds(-60) }, /expired/],
      ['a JWT valid for more than 24 hours', { exp: inSeconds(25 * 3600) }, /24 hours/],
      ['another audience', { aud: 'https://fcm.googleapis.com' }, /aud must be/],
      ['a subject that is neither mailto: nor https:', { sub: 'http://oo.test' }, /sub must be/],
      ['no subject', { sub: undefined }, /sub must be/],
    ])('refuses %s (401)', async (_case, overrides, reason) => {
      const response = await sendWithAuthorization(vapidAuthorization(claims(overrides), vapid));

      expect(response.status).toBe(401);
      expect(((await response.json()) as { message: string }).message).toMatch(reason);
    });

    it('refuses an expired JWT made by web-push itself (401)', async () => {
      const { Authorization } = webpush.getVapidHeaders(
        push.url,
        SUBJECT,
        vapid.publicKey,
        vapid.privateKey,
        'aes128gcm',
        inSeconds(-1),
      );

      expect((await sendWithAuthorization(Authorization)).status).toBe(401);
    });

    it('refuses a key other than the applicationServerKey the subscription was made with (403)', async () => {
      const bound = await push.control.createSubscription({
        applicationServerKey: vapid.publicKey,
      });
      const otherServer = webpush.generateVAPIDKeys();

      const refused = await sendWebPush(bound.subscription, 'hello', otherServer);
      const accepted = await sendWebPush(bound.subscription, 'hello', vapid);

      expect(refused.status).toBe(403);
      expect(accepted.status).toBe(201);
      expect(await push.control.attempts(bound.id)).toEqual([
        expect.objectContaining({
          status: 403,
          reason: matching(/applicationServerKey/),
        }),
        expect.objectContaining({ status: 201 }),
      ]);
    });
  });

  describe('refused messages', () => {
    async function sendAltered(
      alter: (headers: Record<string, string>) => Record<string, string>,
      payload = 'hello',
    ): Promise<number> {
      const request = webPushRequest(device.subscription, payload, vapid);
      return (await send({ ...request, headers: alter(request.headers) })).status;
    }

    it('needs a TTL, a non-negative integer (400)', async () => {
      expect(await sendAltered(({ TTL: _, ...headers }) => headers)).toBe(400);
      expect(await sendAltered((headers) => ({ ...headers, TTL: '-1' }))).toBe(400);
      expect(await sendAltered((headers) => ({ ...headers, TTL: '1.5' }))).toBe(400);
    });

    it('knows four urgencies (400 otherwise)', async () => {
      expect(await sendAltered((headers) => ({ ...headers, Urgency: 'urgent' }))).toBe(400);
      expect(await sendAltered((headers) => ({ ...headers, Urgency: 'very-low' }))).toBe(201);
    });

    it('takes a Topic of at most 32 base64url characters (400 otherwise)', async () => {
      expect(await sendAltered((headers) => ({ ...headers, Topic: 'a'.repeat(33) }))).toBe(400);
      expect(await sendAltered((headers) => ({ ...headers, Topic: 'tip.today' }))).toBe(400);
      expect(await sendAltered((headers) => ({ ...headers, Topic: 'A_-'.repeat(10) }))).toBe(201);
    });

    it('needs Content-Encoding aes128gcm for a body (415)', async () => {
      expect(await sendAltered(({ 'Content-Encoding': _, ...headers }) => headers)).toBe(415);
      expect(await sendAltered((headers) => ({ ...headers, 'Content-Encoding': 'aesgcm' }))).toBe(
        415,
      );
    });

    it('refuses the pre-RFC drafts web-push still speaks with contentEncoding aesgcm', async () => {
      // That mode signs with `Authorization: WebPush <jwt>` and `Crypto-Key`, not RFC 8292's scheme.
      const draft = webPushRequest(device.subscription, 'hello', vapid, {
        contentEncoding: 'aesgcm',
      });

      expect((await send(draft)).status).toBe(401);
    });

    it('takes bodies up to 4096 bytes (413 beyond)', async () => {
      // Header 86 bytes + plaintext + delimiter 1 + tag 16.
      const fits = 'x'.repeat(4096 - 86 - 17);
      expect(await sendAltered((headers) => headers, fits)).toBe(201);
      expect(await sendAltered((headers) => headers, `${fits}x`)).toBe(413);
    });

    it('refuses a body that does not decrypt for the subscription (400)', async () => {
      const other = await push.control.createSubscription();
      const forOther = webPushRequest(other.subscription, 'not for you', vapid);

      const response = await send({ ...forOther, endpoint: device.subscription.endpoint });

      expect(response.status).toBe(400);
      expect(((await response.json()) as { message: string }).message).toMatch(/does not decrypt/);
      expect(await push.control.delivered()).toEqual([]);
    });

    it('answers 404 for an unknown subscription and 410 for a removed one', async () => {
      const unknown = { ...device.subscription, endpoint: `${push.url}/push/no-such-device` };
      expect((await sendWebPush(unknown, 'hello', vapid)).status).toBe(404);

      await push.control.removeSubscription(device.id);

      expect((await sendWebPush(device.subscription, 'hello', vapid)).status).toBe(410);
      expect((await push.control.attempts()).map(({ status }) => status)).toEqual([404, 410]);
    });
  });
});
