import type { ServiceApp } from '@oo/platform';
import { generateSigningKey, parseSigningKeys, publicJwks, signSessionToken } from '@oo/sessions';
import {
  createTestNats,
  expectEventually,
  freePort,
  testInfrastructure,
  type TestNats,
} from '@oo/testing';
import { createApp } from '../src/app.factory.js';
import { loadGatewayEnv } from '../src/config/env.js';

const [key] = parseSigningKeys(generateSigningKey('k1'));

/** Every header helmet sets with the gateway's options (null: one it must never send). */
const SECURITY: Record<string, string | null> = {
  'content-security-policy':
    "default-src 'self';base-uri 'self';font-src 'self';form-action 'self';" +
    "frame-ancestors 'none';img-src 'self' data:;object-src 'none';script-src 'self';" +
    "script-src-attr 'none';style-src 'self';connect-src 'self';worker-src 'self';" +
    "manifest-src 'self'",
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'cross-origin-embedder-policy': null,
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};

/** A request from its own client address, as a load balancer in front would report it. */
const from = (address: string, headers: Record<string, string> = {}): RequestInit => ({
  headers: { 'x-forwarded-for': address, ...headers },
});

describe('the edge: security headers and rate limits shared by every gateway instance', () => {
  let nats: TestNats;
  const gateways: ServiceApp[] = [];
  const urls: string[] = [];

  beforeAll(async () => {
    const { redisUrl } = await testInfrastructure();
    nats = await createTestNats('gateway_edge');
    // Stands in for auth's rpc.auth.keys on the real NATS, in Nest's wire format.
    nats.nc.subscribe(nats.topology.wire('rpc.auth.keys'), {
      callback: (_error, message) => {
        const { id } = message.json<{ id: string }>();
        message.respond(JSON.stringify({ id, response: publicJwks([key!]), isDisposed: true }));
      },
    });
    for (let i = 0; i < 2; i += 1) {
      const gateway = await createApp(
        loadGatewayEnv({
          NATS_URL: nats.url,
          REDIS_URL: redisUrl,
          OO_NAMESPACE: nats.topology.namespace,
          OO_ENV: 'test',
          LOG_LEVEL: 'error',
          PORT: String(await freePort()),
          RATE_LIMIT_IP_PER_MINUTE: '30',
          RATE_LIMIT_USER_PER_MINUTE: '4',
          // Each test speaks from its own client address (X-Forwarded-For through one trusted
          // hop), so no test spends another's per-address budget and their order does not matter.
          TRUSTED_PROXY_HOPS: '1',
        }),
      );
      gateways.push(gateway);
      urls.push(await gateway.start());
    }
  });

  afterAll(async () => {
    await Promise.all(gateways.map((gateway) => gateway.stop()));
    await nats.cleanup();
  });

  it('sets the same security headers on every response, errors and refusals included', async () => {
    const token = await signSessionToken(key!, { userId: 'headers', sessionId: 'h' }, 900);
    const signedIn = { cookie: `oo_session=${token}` };
    const address = '198.51.100.7';
    const answers = [
      await fetch(`${urls[0]}/api/session`, from(address, signedIn)),
      await fetch(`${urls[1]}/api/session`, from(address)),
      await fetch(`${urls[0]}/api/no-such-route`, from(address)),
      await fetch(`${urls[1]}/health/live`, from(address)),
    ];
    for (let i = 0; i < 30; i += 1) await fetch(`${urls[0]}/api/session`, from(address));
    answers.push(await fetch(`${urls[0]}/api/session`, from(address)));
    expect(answers.map((response) => response.status)).toEqual([200, 401, 404, 200, 429]);
    for (const response of answers) {
      // Exactly what @fastify/helmet set before it was replaced (securityHeaders), value for value.
      expect(
        Object.fromEntries([...response.headers].filter(([name]) => name in SECURITY)),
      ).toEqual(Object.fromEntries(Object.entries(SECURITY).filter(([, value]) => value !== null)));
      expect(response.headers.get('x-powered-by')).toBeNull();
    }
  });

  it('limits a signed-in user across instances, with a 429 saying when to come back', async () => {
    await expectEventually(async () => {
      const token = await signSessionToken(key!, { userId: 'probe', sessionId: 'p' }, 900);
      const response = await fetch(
        `${urls[1]}/api/session`,
        from('198.51.100.2', { cookie: `oo_session=${token}` }),
      );
      expect(response.status).toBe(200);
    });
    const token = await signSessionToken(key!, { userId: 'busy-user', sessionId: 's' }, 900);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      const response = await fetch(
        `${urls[i % 2]}/api/session`,
        from('198.51.100.3', { cookie: `oo_session=${token}` }),
      );
      statuses.push(response.status);
      if (response.status === 429) {
        expect(await response.json()).toMatchObject({
          error: { code: 'rate_limited', message: /try again in \d+ s/ },
        });
      }
    }
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
  });

  it('limits one address across instances, health probes excepted', async () => {
    const address = '198.51.100.4';
    const statuses: number[] = [];
    for (let i = 0; i < 40; i += 1)
      statuses.push((await fetch(`${urls[i % 2]}/api/session`, from(address))).status);
    // 30 per minute for this address in all, whichever instance answers.
    const limitedOrNot = statuses.map((status) => (status === 429 ? 'limited' : 'answered'));
    expect(limitedOrNot).toEqual([
      ...Array<string>(30).fill('answered'),
      ...Array<string>(10).fill('limited'),
    ]);
    const limited = await fetch(`${urls[0]}/api/session`, from(address));
    expect(limited.status).toBe(429);
    expect(await limited.json()).toMatchObject({ error: { code: 'rate_limited' } });
    // Probes and scrapes from that address still get through: none of them is ever 429'd.
    for (const probe of ['/health', '/health/live', '/metrics'])
      expect({ probe, status: (await fetch(`${urls[0]}${probe}`, from(address))).status }).toEqual({
        probe,
        status: 200,
      });
    // Another client behind the same proxy is not limited.
    expect((await fetch(`${urls[1]}/api/session`, from('198.51.100.5'))).status).toBe(401);
  });

  it("never counts probes and scrapes against an address's budget", async () => {
    const address = '198.51.100.6';
    const probes: number[] = [];
    for (let i = 0; i < 45; i += 1) {
      const probe = ['/health', '/health/live', '/metrics'][i % 3]!;
      probes.push((await fetch(`${urls[i % 2]}${probe}`, from(address))).status);
    }
    expect(probes.filter((status) => status !== 200)).toEqual([]);
    // The whole budget of 30 is still there for the address's own requests.
    const statuses: number[] = [];
    for (let i = 0; i < 30; i += 1)
      statuses.push((await fetch(`${urls[i % 2]}/api/session`, from(address))).status);
    expect(statuses.filter((status) => status !== 401)).toEqual([]);
  });
});
