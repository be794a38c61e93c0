import { randomUUID, sign, verify, type KeyObject } from 'node:crypto';
import type { SigningKey, VerificationKeys } from './signing-keys.js';

/** What a session token says. `sid` names the session (its refresh-token family). */
export interface SessionClaims {
  /** The user id. */
  sub: string;
  sid: string;
  iat: number;
  exp: number;
  iss: typeof ISSUER;
  aud: typeof AUDIENCE;
  jti: string;
}

export type RejectReason =
  | 'malformed'
  | 'unsupported_algorithm'
  | 'unknown_key'
  | 'bad_signature'
  | 'expired'
  | 'not_yet_valid'
  | 'wrong_issuer_or_audience';

export type Verified = { ok: true; claims: SessionClaims } | { ok: false; reason: RejectReason };

export const ISSUER = 'oo-auth';
export const AUDIENCE = 'oo';
/** Clocks of auth and gateway may differ this much. */
const LEEWAY_SECONDS = 30;

const base64url = (value: Buffer | string): string => Buffer.from(value).toString('base64url');

/** A short-lived ES256 JWT for one session, signed with the active key. */
export function signSessionToken(
  key: SigningKey,
  subject: { userId: string; sessionId: string },
  ttlSeconds: number,
  now: Date = new Date(),
): string {
  const iat = Math.floor(now.getTime() / 1000);
  const header = base64url(JSON.stringify({ alg: 'ES256', typ: 'JWT', kid: key.kid }));
  const claims: SessionClaims = {
    sub: subject.userId,
    sid: subject.sessionId,
    iat,
    exp: iat + ttlSeconds,
    iss: ISSUER,
    aud: AUDIENCE,
    jti: randomUUID(),
  };
  const payload = base64url(JSON.stringify(claims));
  const signature = sign('sha256', Buffer.from(`${header}.${payload}`), {
    key: key.privateKey,
    dsaEncoding: 'ieee-p1363',
  });
  return `${header}.${payload}.${base64url(signature)}`;
}

function parseJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Verifies a session token with public keys only. Only ES256 is accepted (never `none`, never
 * an algorithm named by the token against a key meant for another), and only from a known `kid`.
 */
export function verifySessionToken(
  token: string,
  keys: VerificationKeys,
  now: Date = new Date(),
): Verified {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((part) => !/^[A-Za-z0-9_-]*$/.test(part))) {
    return { ok: false, reason: 'malformed' };
  }
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = parseJson(headerPart);
  if (!header) return { ok: false, reason: 'malformed' };
  if (header['alg'] !== 'ES256') return { ok: false, reason: 'unsupported_algorithm' };
  const key: KeyObject | undefined =
    typeof header['kid'] === 'string' ? keys.get(header['kid']) : undefined;
  if (!key) return { ok: false, reason: 'unknown_key' };
  const signature = Buffer.from(signaturePart, 'base64url');
  const signed = Buffer.from(`${headerPart}.${payloadPart}`);
  if (
    signature.length !== 64 ||
    !verify('sha256', signed, { key, dsaEncoding: 'ieee-p1363' }, signature)
  ) {
    return { ok: false, reason: 'bad_signature' };
  }
  const claims = parseJson(payloadPart);
  if (
    !claims ||
    typeof claims['sub'] !== 'string' ||
    typeof claims['sid'] !== 'string' ||
    typeof claims['exp'] !== 'number' ||
    typeof claims['iat'] !== 'number'
  ) {
    return { ok: false, reason: 'malformed' };
  }
  if (claims['iss'] !== ISSUER || claims['aud'] !== AUDIENCE) {
    return { ok: false, reason: 'wrong_issuer_or_audience' };
  }
  const seconds = now.getTime() / 1000;
  if (claims['exp'] + LEEWAY_SECONDS <= seconds) return { ok: false, reason: 'expired' };
  if (claims['iat'] - LEEWAY_SECONDS > seconds) return { ok: false, reason: 'not_yet_valid' };
  return { ok: true, claims: claims as unknown as SessionClaims };
}
