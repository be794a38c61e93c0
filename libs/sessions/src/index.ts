export {
  generateSigningKey,
  parseSigningKeys,
  publicJwks,
  verificationKeys,
  type PublicJwk,
  type SigningKey,
  type VerificationKeys,
} from './signing-keys.js';
export {
  AUDIENCE,
  ISSUER,
  signSessionToken,
  verifySessionToken,
  type RejectReason,
  type SessionClaims,
  type SessionSubject,
  type Verified,
} from './session-token.js';
export {
  cookieNames,
  expiredCookie,
  parseCookies,
  serializeCookie,
  type CookieNames,
  type CookieOptions,
} from './cookies.js';
