import { randomUUID } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import type { SigningKey, VerificationKeys } from './signing-keys.js';

/** What a session token says. `sid` names the session (its refresh-token family). */
export interface SessionClaims {
  /** The user id. */
  sub: string;
  sid: string;
  iat: number;
  /** Equal to `iat`; tokens signed before it was added may lack it. */
  nbf?: number;
  exp: number;
  iss: typeof ISSUER;
  aud: typeof AUDIENCE;
  jti: string;
  /** Who is signed in, for the SPA and the console (tokens signed before they were added lack them). */
  name?: string;
  email?: string;
  /** Granted by auth (`admin` from ADMIN_EMAILS); the gateway's admin routes check it. */
  roles?: string[];
}

/** Whom a token is for: the user and session, and what the SPA may show of them. */
export interface SessionSubject {
  userId: string;
  sessionId: string;
  name?: string;
  email?: string;
  roles?: readonly string[];
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

/** A short-lived ES256 JWT for one session, signed with the active key. */
export function signSessionToken(
  key: SigningKey,
  subject: SessionSubject,
  ttlSeconds: number,
  now: Date = new Date(),
): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000);
  const { name, email, roles } = subject;
  return new SignJWT({
    sid: subject.sessionId,
    ...(name !== undefined ? { name } : {}),
    ...(email !== undefined ? { email } : {}),
    ...(roles !== undefined ? { roles: [...roles] } : {}),
  })
    .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: key.kid })
    .setSubject(subject.userId)
    .setIssuedAt(iat)
    .setNotBefore(iat)
    .setExpirationTime(iat + ttlSeconds)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setJti(randomUUID())
    .sign(key.privateKey);
}

/**
 * Verifies a session token with public keys only. Only ES256 is accepted (never `none`, never
 * an algorithm named by the token against a key meant for another), and only from a known `kid`.
 * It never throws on input: every failure is a reason.
 */
export async function verifySessionToken(
  token: string,
  keys: VerificationKeys,
  now: Date = new Date(),
): Promise<Verified> {
  try {
    const { payload } = await jwtVerify<Partial<SessionClaims>>(token, keys, {
      algorithms: ['ES256'],
      issuer: ISSUER,
      audience: AUDIENCE,
      requiredClaims: ['sub', 'sid', 'iat', 'exp'],
      clockTolerance: LEEWAY_SECONDS,
      currentDate: now,
    });
    if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string') {
      return { ok: false, reason: 'malformed' };
    }
    const { name, email, roles } = payload;
    if (
      (name !== undefined && typeof name !== 'string') ||
      (email !== undefined && typeof email !== 'string') ||
      (roles !== undefined &&
        !(Array.isArray(roles) && roles.every((role) => typeof role === 'string')))
    ) {
      return { ok: false, reason: 'malformed' };
    }
    return { ok: true, claims: payload as SessionClaims };
  } catch (error) {
    return { ok: false, reason: rejectReason(error) };
  }
}

/** jose's verdict in our words (they are API: the gateway's 401 names them). */
function rejectReason(error: unknown): RejectReason {
  if (!(error instanceof errors.JOSEError)) throw error;
  if (error instanceof errors.JOSEAlgNotAllowed) return 'unsupported_algorithm';
  if (error instanceof errors.JWKSNoMatchingKey) return 'unknown_key';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'bad_signature';
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWTClaimValidationFailed && error.reason === 'check_failed') {
    if (error.claim === 'nbf') return 'not_yet_valid';
    if (error.claim === 'iss' || error.claim === 'aud') return 'wrong_issuer_or_audience';
  }
  // JWSInvalid, JWTInvalid, a missing or mistyped claim: not a session token at all.
  return 'malformed';
}
