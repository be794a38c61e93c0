import {
  generateSigningKey,
  parseSigningKeys,
  publicJwks,
  signSessionToken,
  verificationKeys,
  type VerificationKeys,
} from '@oo/sessions';
import { VerifiedSessions } from './verified-sessions.js';

const [oldKey] = parseSigningKeys(generateSigningKey('old'));
const [newKey] = parseSigningKeys(generateSigningKey('new'));
const now = new Date('2026-12-03T08:00:00Z');
const later = (seconds: number): Date => new Date(now.getTime() + seconds * 1000);
const sign = (userId = 'u1', key = oldKey!): Promise<string> =>
  signSessionToken(key, { userId, sessionId: `s-${userId}` }, 900, now);

/** A key set that counts how often a signature had to be checked. */
function countingKeys(keys: VerificationKeys): { keys: VerificationKeys; lookups: () => number } {
  let lookups = 0;
  return {
    keys: (header, token) => {
      lookups += 1;
      return keys(header, token);
    },
    lookups: () => lookups,
  };
}

describe('VerifiedSessions', () => {
  it('checks a token once and answers its claims again while it is unexpired', async () => {
    const sessions = new VerifiedSessions();
    const { keys, lookups } = countingKeys(verificationKeys(publicJwks([oldKey!])));
    const token = await sign();
    const first = await sessions.verify(token, keys, now);
    const again = await sessions.verify(token, keys, later(60));
    expect(first).toMatchObject({ ok: true, claims: { sub: 'u1', sid: 's-u1' } });
    expect(again).toEqual(first);
    expect(lookups()).toBe(1);
  });

  it('remembers by the exact token: a copy with another payload under the remembered signature is refused', async () => {
    const sessions = new VerifiedSessions();
    const keys = verificationKeys(publicJwks([oldKey!]));
    const token = await sign();
    const [header, payload, signature] = token.split('.');
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), sub: 'admin' })).toString('base64url')}.${signature}`;
    await sessions.verify(token, keys, now);
    expect(await sessions.verify(forged, keys, now)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(await sessions.verify(forged, keys, now)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('verifies an expired token again, with the verdict of the verifier', async () => {
    const sessions = new VerifiedSessions();
    const keys = verificationKeys(publicJwks([oldKey!]));
    const token = await sign();
    await sessions.verify(token, keys, now);
    // Within the 30 s clock leeway the verifier still accepts it; past it, it is expired.
    expect(await sessions.verify(token, keys, later(905))).toMatchObject({ ok: true });
    expect(await sessions.verify(token, keys, later(931))).toEqual({
      ok: false,
      reason: 'expired',
    });
  });

  it('forgets every token when the key set changes (a key removed by rotation)', async () => {
    const sessions = new VerifiedSessions();
    const token = await sign();
    await sessions.verify(token, verificationKeys(publicJwks([oldKey!, newKey!])), now);
    const rotated = verificationKeys(publicJwks([newKey!]));
    expect(await sessions.verify(token, rotated, now)).toEqual({
      ok: false,
      reason: 'unknown_key',
    });
    expect(await sessions.verify(await sign('u2', newKey), rotated, now)).toMatchObject({
      ok: true,
    });
  });

  it('holds at most its capacity, dropping the oldest', async () => {
    const sessions = new VerifiedSessions(2);
    const { keys, lookups } = countingKeys(verificationKeys(publicJwks([oldKey!])));
    const [a, b, c] = await Promise.all([sign('a'), sign('b'), sign('c')]);
    for (const token of [a, b, c]) await sessions.verify(token, keys, now);
    expect(lookups()).toBe(3);
    await sessions.verify(c, keys, now);
    await sessions.verify(b, keys, now);
    expect(lookups()).toBe(3);
    expect(await sessions.verify(a, keys, now)).toMatchObject({ ok: true, claims: { sub: 'a' } });
    expect(lookups()).toBe(4);
  });
});
