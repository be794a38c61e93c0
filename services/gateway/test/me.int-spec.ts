import { createTestDatabase, type TestDatabase } from '@oo/database';
import { createECDH, randomBytes } from 'node:crypto';
import { openApiDocument, RPC } from '@oo/contracts';
import { RpcClient } from '@oo/messaging';
import type { ServiceApp } from '@oo/platform';
import { generateSigningKey } from '@oo/sessions';
import {
  createTestNats,
  expectEventually,
  freePort,
  startServiceProcess,
  stopProcesses,
  type RunningProcess,
  type TestNats,
  serviceTestEnv,
} from '@oo/testing';
import { devSignIn, type SignedIn } from './support/dev-sign-in.js';
import { createApp as createGateway } from '../src/app.factory.js';
import { loadGatewayEnv } from '../src/config/env.js';

const PUBLIC_URL = 'http://oo.test';

interface Browser {
  userId: string;
  request(
    method: string,
    path: string,
    body?: unknown,
    options?: { csrf?: boolean; raw?: string; contentType?: string },
  ): Promise<Response>;
}

describe('/api/me through the gateway: own profile only, every bad input a 4xx', () => {
  let database: TestDatabase;
  let nats: TestNats;
  let gateway: ServiceApp;
  let base: string;
  const processes: RunningProcess[] = [];
  let profile: RunningProcess;
  let env: Record<string, string>;

  beforeAll(async () => {
    database = await createTestDatabase({ services: ['auth', 'profile', 'notifier'] });
    nats = await createTestNats('gateway_me');
    env = await serviceTestEnv(nats, { DATABASE_URL: database.url, PUBLIC_URL });
    const [auth, profileService, notifier] = await Promise.all([
      startServiceProcess('auth', { ...env, SESSION_SIGNING_KEYS: generateSigningKey('k1') }),
      startServiceProcess('profile', env),
      startServiceProcess('notifier', env),
    ]);
    profile = profileService.process;
    processes.push(auth.process, profile, notifier.process);
    gateway = await createGateway(
      loadGatewayEnv({
        ...env,
        PORT: String(await freePort()),
        AUTH_URL: auth.url,
      }),
    );
    base = await gateway.start();
  }, 180_000);

  afterAll(async () => {
    await gateway.stop();
    await stopProcesses(processes);
    await nats.cleanup();
    await database.drop();
  });

  async function signIn(email: string): Promise<Browser> {
    let signedIn: SignedIn | undefined;
    await expectEventually(async () => {
      signedIn = await devSignIn(base, PUBLIC_URL, email);
    });
    const { userId, cookie, cookies } = signedIn!;
    await expectEventually(async () => {
      expect((await fetch(`${base}/api/session`, { headers: { cookie } })).status).toBe(200);
    });
    const session: unknown = await (
      await fetch(`${base}/api/session`, { headers: { cookie } })
    ).json();
    expect(session).toMatchObject({ userId, email, name: email.split('@')[0], roles: [] });
    return {
      userId,
      request: (method, path, body, { csrf = true, raw, contentType = 'application/json' } = {}) =>
        fetch(`${base}${path}`, {
          redirect: 'manual',
          method,
          headers: {
            cookie,
            origin: PUBLIC_URL,
            ...(csrf ? { 'x-oo-csrf': cookies.get('oo_csrf')! } : {}),
            ...(body !== undefined || raw !== undefined ? { 'content-type': contentType } : {}),
          },
          ...(raw !== undefined
            ? { body: raw }
            : body !== undefined
              ? { body: JSON.stringify(body) }
              : {}),
        }),
    };
  }

  it('reads and changes the signed-in user’s own profile, and nobody else’s', async () => {
    const ada = await signIn('ada@example.com');
    const bob = await signIn('bob@example.com');
    const fresh = await ada.request('GET', '/api/me');
    expect(fresh.status).toBe(200);
    expect(await fresh.json()).toMatchObject({
      userId: ada.userId,
      timezone: 'UTC',
      quietHours: { start: '22:00', end: '07:00' },
      push: { enabled: false },
      consent: null,
    });

    const changed = await ada.request('PATCH', '/api/me', {
      timezone: 'Europe/Berlin',
      quietHours: { start: '23:30', end: '06:15' },
      push: { enabled: true },
      acceptTerms: '2026-11-01',
    });
    expect(changed.status).toBe(200);
    expect(await changed.json()).toMatchObject({
      userId: ada.userId,
      timezone: 'Europe/Berlin',
      quietHours: { start: '23:30', end: '06:15' },
      push: { enabled: true },
      consent: { termsVersion: '2026-11-01' },
    });

    // Bob cannot name Ada: ids in the body are refused, and his own profile is untouched.
    const sneaky = await bob.request('PATCH', '/api/me', {
      userId: ada.userId,
      push: { enabled: false },
    });
    expect(sneaky.status).toBe(400);
    expect(await sneaky.json()).toMatchObject({ error: { field: 'userId' } });
    expect(await (await bob.request('GET', '/api/me')).json()).toMatchObject({
      userId: bob.userId,
      timezone: 'UTC',
    });
    expect(await (await ada.request('GET', '/api/me')).json()).toMatchObject({
      push: { enabled: true },
    });
  });

  it('refuses a change without the CSRF header, and any request without a session', async () => {
    const ada = await signIn('ada2@example.com');
    const forged = await ada.request(
      'PATCH',
      '/api/me',
      { push: { enabled: true } },
      { csrf: false },
    );
    expect(forged.status).toBe(403);
    expect((await fetch(`${base}/api/me`)).status).toBe(401);
  });

  it('answers each bad input with a 4xx naming the problem', async () => {
    const ada = await signIn('ada3@example.com');
    const cases: Array<[unknown, number, string | undefined]> = [
      [{ timezone: 'Mars/Olympus_Mons' }, 400, 'timezone'],
      [{ timezone: 42 }, 400, 'timezone'],
      [{ quietHours: { start: '25:00', end: '07:00' } }, 400, 'quietHours.start'],
      [{ quietHours: { start: '22:00', end: '22:00' } }, 400, 'quietHours.end'],
      [{ quietHours: { start: '22:00' } }, 400, 'quietHours.end'],
      [{ push: { enabled: 'yes' } }, 400, 'push.enabled'],
      [{ push: true }, 400, 'push'],
      [{ acceptTerms: '1999-01-01' }, 400, 'acceptTerms'],
      [{ theme: 'dark' }, 400, 'theme'],
      [[1, 2, 3], 400, 'body'],
    ];
    for (const [body, status, field] of cases) {
      const response = await ada.request('PATCH', '/api/me', body);
      expect([JSON.stringify(body), response.status]).toEqual([JSON.stringify(body), status]);
      expect(await response.json()).toMatchObject({ error: { code: 'invalid_request', field } });
    }
    const malformed = await ada.request('PATCH', '/api/me', undefined, {
      raw: '{"timezone": "Eur',
    });
    expect(malformed.status).toBe(400);
    const huge = await ada.request('PATCH', '/api/me', { timezone: 'x'.repeat(2 * 1024 * 1024) });
    expect(huge.status).toBe(413);
  });

  it('takes JSON only: a form-encoded or text body is a 415 naming application/json and changes nothing', async () => {
    const ada = await signIn('ada5@example.com');
    const before = await (await ada.request('GET', '/api/me')).json();
    for (const [contentType, body] of [
      ['application/x-www-form-urlencoded', 'timezone=Europe%2FBerlin'],
      ['text/plain', '{"timezone":"Europe/Berlin"}'],
      [
        'multipart/form-data; boundary=x',
        '--x\r\nContent-Disposition: form-data; name="timezone"\r\n\r\nEurope/Berlin\r\n--x--',
      ],
    ]) {
      const response = await ada.request('PATCH', '/api/me', undefined, {
        raw: body,
        contentType,
      });
      expect([contentType, response.status]).toEqual([contentType, 415]);
      expect(await response.json()).toEqual({
        error: {
          code: 'unsupported_media_type',
          message: 'content-type must be application/json',
          field: 'content-type',
        },
      });
    }
    expect(await (await ada.request('GET', '/api/me')).json()).toEqual(before);
  });

  it('survives a fuzz pass over every route: random bodies and queries never get a 5xx', async () => {
    const ada = await signIn('fuzz@example.com');
    let seed = 7;
    const random = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const values = (): unknown => {
      const pick = Math.floor(random() * 9);
      return [null, true, -1, 1e308, 'x', '22:00', 'Europe/Paris', [], { enabled: random() > 0.5 }][
        pick
      ];
    };
    const keys = [
      'timezone',
      'quietHours',
      'push',
      'acceptTerms',
      'start',
      'enabled',
      '__proto__',
      'constructor',
    ];
    for (let i = 0; i < 200; i += 1) {
      const body: Record<string, unknown> = {};
      for (let k = 0; k < 1 + Math.floor(random() * 3); k += 1) {
        body[keys[Math.floor(random() * keys.length)]!] =
          random() > 0.7 ? { start: values(), end: values(), enabled: values() } : values();
      }
      // Every route (DELETE /api/me aside: it would end the fuzzing user), random body and query.
      const routes: Array<[string, string]> = [
        ['PATCH', '/api/me'],
        ['PATCH', '/api/me'],
        ['GET', '/api/me'],
        ['GET', '/api/session'],
        ['GET', '/api/legal/terms'],
        ['GET', '/api/docs'],
        ['POST', '/auth/dev-login'],
        ['POST', '/auth/refresh'],
        ['GET', '/auth/google'],
        ['GET', '/auth/google/callback'],
      ];
      const [method, path] = routes[Math.floor(random() * routes.length)]!;
      const query = new URLSearchParams({
        [keys[Math.floor(random() * keys.length)]!]: JSON.stringify(values()),
      }).toString();
      const response = await (
        method === 'GET' ? ada.request(method, `${path}?${query}`) : ada.request(method, path, body)
      ).catch((error: unknown) => {
        throw new Error(
          `${method} ${path}?${query} ${JSON.stringify(body)}: ${String((error as Error).cause)}`,
        );
      });
      const what = `${method} ${path} ${JSON.stringify(body)}`;
      expect([what, response.status < 500]).toEqual([what, true]);
    }
  });

  it('serves the terms and the privacy notice to anyone, with the version to accept', async () => {
    for (const document of ['terms', 'privacy']) {
      const response = await fetch(`${base}/api/legal/${document}`);
      expect(response.status).toBe(200);
      const body = (await response.json()) as {
        document: string;
        version: string;
        markdown: string;
      };
      expect(body).toMatchObject({ document, version: '2026-11-01' });
      expect(body.markdown).toContain('Version 2026-11-01.');
    }
    expect((await fetch(`${base}/api/legal/cookies`)).status).toBe(404);
    const docs = await fetch(`${base}/api/docs`);
    expect(docs.status).toBe(200);
    // The committed, generated document (libs/contracts), with this deployment as its server.
    expect(await docs.json()).toEqual({ ...openApiDocument, servers: [{ url: PUBLIC_URL }] });
  });

  it('deletes the account: 202, user.deleted published once, every session over at once', async () => {
    const leaving = await signIn('leaving@example.com');
    const otherDevice = await signIn('leaving@example.com');
    expect(otherDevice.userId).toBe(leaving.userId);
    expect((await leaving.request('DELETE', '/api/me', undefined, { csrf: false })).status).toBe(
      403,
    );

    const response = await leaving.request('DELETE', '/api/me');
    expect(response.status).toBe(202);
    const accepted = (await response.json()) as { waitingFor: string[] };
    expect(accepted).toMatchObject({ userId: leaving.userId, status: 'pending' });
    // Every service that holds user data must confirm; the order is not part of the contract.
    expect([...accepted.waitingFor].sort()).toEqual([
      'auth',
      'integrations',
      'notifier',
      'profile',
      'recommender',
      'scorer',
    ]);
    // Both sessions stop now, though their tokens would live for another 15 minutes.
    expect((await leaving.request('GET', '/api/me')).status).toBe(401);
    expect((await otherDevice.request('GET', '/api/me')).status).toBe(401);

    const subject = nats.topology.wire(`signals.user.deleted.${leaving.userId}`);
    const info = await nats.jsm.streams.info(nats.topology.signalsStream, {
      subjects_filter: subject,
    });
    expect(info.state.subjects).toEqual({ [subject]: 1 });
    // Operators can follow it: auth, profile and the notifier run here and purge at once, the
    // others do not.
    const rpc = new RpcClient(nats.nc, nats.topology);
    await expectEventually(async () => {
      const progress = await rpc.call('rpc.profile.deletion_status', { userId: leaving.userId });
      expect(progress.status).toBe('pending');
      expect([...progress.confirmedBy].sort()).toEqual(['auth', 'notifier', 'profile']);
      expect([...progress.waitingFor].sort()).toEqual(['integrations', 'recommender', 'scorer']);
    });
    await expect(
      rpc.call('rpc.profile.deletion_status', { userId: 'nobody' }),
    ).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('answers 503 when the profile service is down, and serves again once it is back', async () => {
    const ada = await signIn('ada4@example.com');
    profile.kill('SIGTERM');
    await profile.exited;
    try {
      const response = await ada.request('GET', '/api/me');
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({
        error: {
          code: 'unavailable',
          message: 'The profile service is not answering; try again shortly',
        },
      });
    } finally {
      // Brought back whatever happened, so no test depends on running before this one.
      const restarted = await startServiceProcess('profile', env);
      profile = restarted.process;
      processes.push(profile);
    }
    await expectEventually(async () => {
      expect((await ada.request('GET', '/api/me')).status).toBe(200);
    });
  });

  describe('/api/push: this user’s devices at the notifier', () => {
    const subscription = () => {
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      return {
        endpoint: `https://push.example.com/send/${randomBytes(8).toString('hex')}`,
        expirationTime: null,
        keys: {
          p256dh: ecdh.getPublicKey().toString('base64url'),
          auth: randomBytes(16).toString('base64url'),
        },
      };
    };
    const devicesOf = async (userId: string) =>
      (await new RpcClient(nats.nc, nats.topology).call(RPC.notifier.list, { userId }, 5_000))
        .subscriptions;

    it('gives anyone the VAPID public key, and caches it', async () => {
      const first = await fetch(`${base}/api/push/vapid-public-key`);
      expect(first.status).toBe(200);
      const { publicKey } = (await first.json()) as { publicKey: string };
      expect(Buffer.from(publicKey, 'base64url')).toHaveLength(65);
      expect(await (await fetch(`${base}/api/push/vapid-public-key`)).json()).toEqual({
        publicKey,
      });
    });

    it('subscribes and unsubscribes the signed-in user’s device, and nobody else’s', async () => {
      const ada = await signIn('ada.push@example.com');
      const bob = await signIn('bob.push@example.com');
      const device = subscription();

      const created = await ada.request('POST', '/api/push/subscriptions', device);
      expect(created.status).toBe(201);
      const { endpointHash } = (await created.json()) as { endpointHash: string };
      expect(await devicesOf(ada.userId)).toEqual([expect.objectContaining({ endpointHash })]);

      // Bob naming Ada's device removes nothing of hers.
      const bobs = await bob.request('DELETE', '/api/push/subscriptions', {
        endpoint: device.endpoint,
      });
      expect(bobs.status).toBe(204);
      expect(await devicesOf(ada.userId)).toHaveLength(1);

      const removed = await ada.request('DELETE', '/api/push/subscriptions', {
        endpoint: device.endpoint,
      });
      expect(removed.status).toBe(204);
      expect(await devicesOf(ada.userId)).toEqual([]);
    });

    it('refuses a bad subscription with a 400 naming the field, and needs a session and CSRF', async () => {
      const ada = await signIn('ada.push.bad@example.com');
      const good = subscription();
      const refusal = async (body: unknown) => {
        const response = await ada.request('POST', '/api/push/subscriptions', body);
        return { status: response.status, ...((await response.json()) as object) };
      };
      expect(await refusal({ ...good, keys: undefined })).toMatchObject({
        status: 400,
        error: { code: 'invalid_request', field: 'keys' },
      });
      expect(await refusal({ ...good, userId: 'someone-else' })).toMatchObject({
        status: 400,
        error: { field: 'userId' },
      });
      const offCurve = Buffer.alloc(65, 9);
      offCurve[0] = 4;
      expect(
        await refusal({ ...good, keys: { ...good.keys, p256dh: offCurve.toString('base64url') } }),
      ).toMatchObject({ status: 400, error: { field: 'keys.p256dh' } });
      expect(await refusal({ ...good, endpoint: 'http://push.example.com/x' })).toMatchObject({
        status: 400,
        error: { field: 'endpoint' },
      });

      const noCsrf = await ada.request('POST', '/api/push/subscriptions', good, { csrf: false });
      expect(noCsrf.status).toBe(403);
      const anonymous = await fetch(`${base}/api/push/subscriptions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: PUBLIC_URL },
        body: JSON.stringify(good),
      });
      expect(anonymous.status).toBe(401);
      expect(await devicesOf(ada.userId)).toEqual([]);
    });
  });
});
