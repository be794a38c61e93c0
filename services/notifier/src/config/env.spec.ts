import { createECDH } from 'node:crypto';
import { notifierEnvSchema as check } from './env.js';

const pair = () => {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return {
    publicKey: ecdh.getPublicKey().toString('base64url'),
    privateKey: ecdh.getPrivateKey().toString('base64url'),
  };
};

describe('the notifier environment', () => {
  it('derives the VAPID public key from the private one when it is not given (development)', () => {
    const { publicKey, privateKey } = pair();
    const env = check.parse({ VAPID_PRIVATE_KEY: privateKey });
    expect(env.VAPID_PUBLIC_KEY).toBe(publicKey);
    expect(env).toMatchObject({ PUSH_DAILY_CAP: 3, PUSH_MIN_INTERVAL_MINUTES: 120 });
  });

  it('refuses keys of two different pairs, and a missing public key in production', () => {
    const one = pair();
    const other = pair();
    const mismatched = check.safeParse({
      VAPID_PUBLIC_KEY: other.publicKey,
      VAPID_PRIVATE_KEY: one.privateKey,
    });
    expect(mismatched.error?.issues).toEqual([
      expect.objectContaining({
        path: ['VAPID_PUBLIC_KEY'],
        message: 'is not the public key of VAPID_PRIVATE_KEY',
      }),
    ]);
    const production = check.safeParse({ OO_ENV: 'production', VAPID_PRIVATE_KEY: one.privateKey });
    expect(production.error?.issues).toEqual([
      expect.objectContaining({ path: ['VAPID_PUBLIC_KEY'], message: 'is required in production' }),
    ]);
  });

  it('takes a VAPID subject only as mailto:<address> or an https: URL', () => {
    const { privateKey } = pair();
    for (const subject of ['mailto:ops@oo.example', 'https://oo.example/contact']) {
      expect(
        check.safeParse({ VAPID_PRIVATE_KEY: privateKey, VAPID_SUBJECT: subject }).success,
      ).toBe(true);
    }
    for (const subject of ['ops@oo.example', 'mailto:', 'http://oo.example', 'https://']) {
      const parsed = check.safeParse({ VAPID_PRIVATE_KEY: privateKey, VAPID_SUBJECT: subject });
      expect({ subject, paths: parsed.error?.issues.map(({ path }) => path) }).toEqual({
        subject,
        paths: [['VAPID_SUBJECT']],
      });
    }
  });
});
