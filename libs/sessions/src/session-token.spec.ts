import { createHmac, generateKeyPairSync, sign } from 'node:crypto';
import {
  generateSigningKey,
  parseSigningKeys,
  publicJwks,
  verificationKeys,
} from './signing-keys.js';
import { signSessionToken, verifySessionToken } from './session-token.js';

const [active, previous] = parseSigningKeys(
  `${generateSigningKey('k2')},${generateSigningKey('k1')}`,
);
// What the gateway holds: the published public keys only.
const keys = verificationKeys(publicJwks([active!, previous!]));
const subject = { userId: 'user-1', sessionId: 'session-1' };
const now = new Date('2026-11-22T10:00:00Z');
const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A token with the active key's valid signature over claims this library would never sign. */
function signedByHand(claims: Record<string, unknown>): string {
  const header = b64({ alg: 'ES256', typ: 'JWT', kid: 'k2' });
  const body = b64({ sub: 'u', sid: 's', iat: 1, exp: 9e9, ...claims });
  const signature = sign('sha256', Buffer.from(`${header}.${body}`), {
    key: active!.privateKey,
    dsaEncoding: 'ieee-p1363',
  }).toString('base64url');
  return `${header}.${body}.${signature}`;
}

describe('session tokens', () => {
  it('verifies a token it signed, with the claims it was given', async () => {
    const token = await signSessionToken(active!, subject, 900, now);
    const verified = await verifySessionToken(token, keys, now);
    expect(verified).toMatchObject({ ok: true, claims: { sub: 'user-1', sid: 'session-1' } });
    expect(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString())).toEqual({
      alg: 'ES256',
      typ: 'JWT',
      kid: 'k2',
    });
  });

  it('carries who is signed in, and refuses a token whose roles are not a list of names', async () => {
    const token = await signSessionToken(
      active!,
      { ...subject, name: 'Ada', email: 'ada@example.com', roles: ['admin'] },
      900,
      now,
    );
    expect(await verifySessionToken(token, keys, now)).toMatchObject({
      ok: true,
      claims: { name: 'Ada', email: 'ada@example.com', roles: ['admin'] },
    });
    const rolesAsText = signedByHand({ iss: 'oo-auth', aud: 'oo', roles: 'admin' });
    expect(await verifySessionToken(rolesAsText, keys, now)).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });

  it('keeps accepting tokens of a previous key after rotation', async () => {
    const token = await signSessionToken(previous!, subject, 900, now);
    expect((await verifySessionToken(token, keys, now)).ok).toBe(true);
  });

  it('refuses a tampered payload', async () => {
    const [header, , signature] = (await signSessionToken(active!, subject, 900, now)).split('.');
    const forged = b64({
      sub: 'user-2',
      sid: 'session-1',
      iat: 1,
      exp: 9e9,
      iss: 'oo-auth',
      aud: 'oo',
    });
    expect(await verifySessionToken(`${header}.${forged}.${signature}`, keys, now)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('refuses an expired token (beyond 30 s of clock leeway)', async () => {
    const token = await signSessionToken(active!, subject, 900, now);
    const later = new Date(now.getTime() + 931_000);
    expect(await verifySessionToken(token, keys, later)).toEqual({ ok: false, reason: 'expired' });
    expect((await verifySessionToken(token, keys, new Date(now.getTime() + 920_000))).ok).toBe(
      true,
    );
  });

  it('refuses a token signed by a key it does not know', async () => {
    const [stranger] = parseSigningKeys(generateSigningKey('k2'));
    const token = await signSessionToken(stranger!, subject, 900, now);
    expect(await verifySessionToken(token, keys, now)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    const [unknown] = parseSigningKeys(generateSigningKey('k9'));
    expect(
      await verifySessionToken(await signSessionToken(unknown!, subject, 900, now), keys, now),
    ).toEqual({
      ok: false,
      reason: 'unknown_key',
    });
  });

  it('refuses alg none and an HMAC token made with the public key as secret', async () => {
    const claims = b64({
      sub: 'user-1',
      sid: 's',
      iat: 1_795_000_000,
      exp: 9e9,
      iss: 'oo-auth',
      aud: 'oo',
    });
    const none = `${b64({ alg: 'none', typ: 'JWT', kid: 'k2' })}.${claims}.`;
    expect(await verifySessionToken(none, keys, now)).toEqual({
      ok: false,
      reason: 'unsupported_algorithm',
    });
    const header = b64({ alg: 'HS256', typ: 'JWT', kid: 'k2' });
    const secret = JSON.stringify(publicJwks([active!]).keys[0]);
    const mac = createHmac('sha256', secret).update(`${header}.${claims}`).digest('base64url');
    expect(await verifySessionToken(`${header}.${claims}.${mac}`, keys, now)).toEqual({
      ok: false,
      reason: 'unsupported_algorithm',
    });
  });

  it('refuses garbage and wrong audiences without throwing', async () => {
    for (const junk of ['', 'a.b', 'a.b.c.d', '!!.??.##', `${b64('x')}.${b64('y')}.zz`]) {
      expect((await verifySessionToken(junk, keys, now)).ok).toBe(false);
    }
    const foreign = signedByHand({ iss: 'someone-else', aud: 'oo' });
    expect(await verifySessionToken(foreign, keys, now)).toEqual({
      ok: false,
      reason: 'wrong_issuer_or_audience',
    });
  });
});

describe('SESSION_SIGNING_KEYS', () => {
  it('names what is wrong with a bad value', () => {
    expect(() => parseSigningKeys('')).toThrow(/at least one/);
    expect(() => parseSigningKeys('no-colon')).toThrow(/kid:base64/);
    expect(() => parseSigningKeys('k1:bm90IGEga2V5')).toThrow(/k1 is not a base64 PKCS#8/);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .privateKey.export({ format: 'der', type: 'pkcs8' })
      .toString('base64');
    expect(() => parseSigningKeys(`k1:${rsa}`)).toThrow(/EC P-256/);
    const key = generateSigningKey('k1');
    expect(() => parseSigningKeys(`${key},${key}`)).toThrow(/appears twice/);
  });
});
