import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { PushRejection } from './push-rejection.js';
import type { VapidIdentity } from './types.js';

/** RFC 8292 §2: a push service may refuse tokens that expire more than 24 hours ahead. */
const MAX_LIFETIME_SECONDS = 24 * 60 * 60;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

function unauthorized(reason: string): PushRejection {
  return new PushRejection(401, `VAPID: ${reason}`, { 'www-authenticate': 'vapid' });
}

/** `vapid t=<jwt>, k=<key>` (RFC 8292 §3) → its parameters. */
function parseAuthorization(header: string | undefined): { token: string; key: string } {
  const match = /^vapid\s+(.*)$/i.exec(header?.trim() ?? '');
  if (!match?.[1]) throw unauthorized('missing Authorization: vapid t=…, k=…');
  const params = new Map<string, string>();
  for (const part of match[1].split(',')) {
    const separator = part.indexOf('=');
    if (separator < 0) continue;
    const name = part.slice(0, separator).trim().toLowerCase();
    params.set(
      name,
      part
        .slice(separator + 1)
        .trim()
        .replace(/^"(.*)"$/, '$1'),
    );
  }
  const token = params.get('t');
  const key = params.get('k');
  if (!token || !key) throw unauthorized('the vapid scheme needs both t and k');
  return { token, key };
}

/** `k`: an uncompressed P-256 point (RFC 8292 §3.2) → a key to verify ES256 with. */
function publicKeyOf(key: string): KeyObject {
  const point = BASE64URL.test(key) ? Buffer.from(key, 'base64url') : Buffer.alloc(0);
  if (point.length !== 65 || point[0] !== 0x04)
    throw unauthorized('k is not an uncompressed P-256 public key');
  try {
    return createPublicKey({
      key: {
        kty: 'EC',
        crv: 'P-256',
        x: point.subarray(1, 33).toString('base64url'),
        y: point.subarray(33).toString('base64url'),
      },
      format: 'jwk',
    });
  } catch {
    throw unauthorized('k is not a point on P-256');
  }
}

function decodeJson(part: string, what: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    if (typeof value === 'object' && value !== null) return value as Record<string, unknown>;
  } catch {
    // Reported below, as any other malformed token.
  }
  throw unauthorized(`the JWT ${what} is not a JSON object`);
}

/** Checks the JWS (ES256 over `header.claims`, signature raw r||s) and returns its claims. */
function verifiedClaims(token: string, key: KeyObject): Record<string, unknown> {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((part) => BASE64URL.test(part)))
    throw unauthorized('t is not a compact JWS');
  const [encodedHeader, encodedClaims, encodedSignature] = parts as [string, string, string];
  if (decodeJson(encodedHeader, 'header').alg !== 'ES256')
    throw unauthorized('the JWT must be signed with ES256');
  const signature = Buffer.from(encodedSignature, 'base64url');
  const signed = Buffer.from(`${encodedHeader}.${encodedClaims}`);
  const valid =
    signature.length === 64 &&
    verify('sha256', signed, { key, dsaEncoding: 'ieee-p1363' }, signature);
  if (!valid) throw unauthorized('the JWT signature does not verify with k');
  return decodeJson(encodedClaims, 'claims');
}

/**
 * Verifies a message's VAPID authorization (RFC 8292) against this push service's origin.
 * Every failure is a 401 PushRejection naming what was wrong.
 */
export function verifyVapid(
  authorization: string | undefined,
  audience: string,
  nowMs: number,
): VapidIdentity {
  const { token, key } = parseAuthorization(authorization);
  const claims = verifiedClaims(token, publicKeyOf(key));
  const { aud, exp, sub } = claims;
  if (aud !== audience) throw unauthorized(`aud must be ${audience}, got ${String(aud)}`);
  const now = Math.floor(nowMs / 1000);
  if (typeof exp !== 'number' || !Number.isFinite(exp)) throw unauthorized('exp is missing');
  if (exp <= now) throw unauthorized('the JWT has expired');
  if (exp > now + MAX_LIFETIME_SECONDS) throw unauthorized('exp is more than 24 hours ahead');
  if (typeof sub !== 'string' || !/^(mailto:|https:)/.test(sub))
    throw unauthorized('sub must be a mailto: or https: URI');
  return { sub, aud, exp, publicKey: key };
}
