import {
  verifySessionToken,
  type SessionClaims,
  type VerificationKeys,
  type Verified,
} from '@oo/sessions';

/** Enough for every session active within a token's 15 minutes on one instance, and bounded. */
const DEFAULT_CAPACITY = 10_000;

/**
 * Session tokens this gateway has verified, so the ES256 signature of one token is checked once
 * per key set rather than on every request (WebCrypto's ECDSA verify was the largest part of a
 * signed-in request's CPU). Only what verification proved is remembered, keyed by the exact
 * token, and only while the token is unexpired without the clock leeway: past its `exp` a
 * token is verified again, with the verdict the verifier gives. A new key set (a key removed
 * from auth's list) forgets everything. Revocation and the user's budget are not cached: the
 * guard asks Redis on every request.
 */
export class VerifiedSessions {
  private readonly verified = new Map<string, SessionClaims>();
  private keys: VerificationKeys | undefined;

  constructor(private readonly capacity = DEFAULT_CAPACITY) {}

  async verify(token: string, keys: VerificationKeys, now = new Date()): Promise<Verified> {
    if (keys !== this.keys) {
      this.verified.clear();
      this.keys = keys;
    }
    const nowSeconds = now.getTime() / 1000;
    const known = this.verified.get(token);
    if (known) {
      if (nowSeconds < known.exp) return { ok: true, claims: known };
      this.verified.delete(token);
    }
    const result = await verifySessionToken(token, keys, now);
    // Keys may have changed while verifying; what another key set proved is not kept.
    if (result.ok && nowSeconds < result.claims.exp && keys === this.keys) {
      if (this.verified.size >= this.capacity) {
        // The oldest entry (insertion order) goes: a bound, not a policy that matters.
        this.verified.delete(this.verified.keys().next().value!);
      }
      this.verified.set(token, Object.freeze(result.claims));
    }
    return result;
  }
}
