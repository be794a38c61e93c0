import { createECDH, randomBytes } from 'node:crypto';
import { checkPublicEndpoint, checkSubscription, endpointHash } from './push-endpoint.js';

const keys = () => {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return {
    p256dh: ecdh.getPublicKey().toString('base64url'),
    auth: randomBytes(16).toString('base64url'),
  };
};

describe('push endpoints', () => {
  it('hashes an endpoint in URL-normal form, so unsubscribe finds what subscribe stored', () => {
    expect(endpointHash('https://PUSH.example.com:443')).toBe(
      endpointHash('https://push.example.com/'),
    );
    const checked = checkSubscription(
      { endpoint: 'https://Push.Example.com:443', keys: keys() },
      { allowLoopbackHttp: false },
    );
    expect(checked.endpointHash).toBe(endpointHash('https://push.example.com'));
  });

  it('takes plain http only to this machine, and only when allowed (outside production)', () => {
    const local = { endpoint: 'http://127.0.0.1:4000/push/1', keys: keys() };
    expect(checkSubscription(local, { allowLoopbackHttp: true }).endpoint).toBe(local.endpoint);
    expect(() => checkSubscription(local, { allowLoopbackHttp: false })).toThrow(/https/);
    expect(() =>
      checkSubscription(
        { endpoint: 'http://push.example.com/1', keys: keys() },
        { allowLoopbackHttp: true },
      ),
    ).toThrow(/https/);
    expect(() =>
      checkSubscription(
        { endpoint: 'https://user:secret@push.example.com/1', keys: keys() },
        { allowLoopbackHttp: true },
      ),
    ).toThrow(/https/);
  });

  it.each([
    'https://10.0.0.5/push',
    'https://192.168.1.1/push',
    'https://169.254.169.254/latest',
    'https://127.0.0.1/push',
    'https://[::1]/push',
    'https://[fd00::1]/push',
    'https://push.invalid/never-resolves',
  ])('refuses %s in production: not a push service on the internet', async (endpoint) => {
    await expect(checkPublicEndpoint(endpoint)).rejects.toMatchObject({
      error: expect.objectContaining({ field: 'subscription.endpoint' }) as unknown,
    });
  });

  it('takes a public address', async () => {
    await expect(checkPublicEndpoint('https://8.8.8.8/push')).resolves.toBeUndefined();
    await expect(checkPublicEndpoint('https://[2606:4700::1111]/push')).resolves.toBeUndefined();
  });
});
