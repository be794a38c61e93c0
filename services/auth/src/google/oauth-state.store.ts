import { hkdfSync, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';
import { parseCookies } from '@oo/sessions';
import { EncryptJWT, jwtDecrypt } from 'jose';

/** What one sign-in attempt remembers between the redirect to Google and the callback. */
export interface PendingSignIn {
  state: string;
  verifier: string;
  returnTo: string;
}

/** The request shape passport's state store sees (we build it, see google-oauth.ts). */
export interface OAuthRequest {
  query: Record<string, string | undefined>;
  headers: { cookie?: string | undefined };
  /** Filled by `store`: the cookie value the controller sets on the redirect. */
  pendingCookie?: string;
  returnTo?: string;
}

type StoreCallback = (error: Error | null, state?: string) => void;
type VerifyCallback = (error: Error | null, verifier?: string | false, info?: unknown) => void;

/** Also the cookie's Max-Age (google.controller.ts). */
const LIFETIME_SECONDS = 600;

/**
 * passport-oauth2's PKCE state store, without a server-side session: the state and the PKCE
 * verifier travel in an encrypted, httpOnly cookie bound to this browser — a JWE (`dir`,
 * A256GCM) with an `exp`, made and opened by jose — and the callback must present both the
 * cookie and the matching `state`.
 */
export class OAuthStateStore {
  private readonly key: Uint8Array;

  constructor(
    signingKey: KeyObject,
    readonly cookieName: string,
  ) {
    // A key of its own, derived from the session signing key: no extra secret to manage.
    const material = signingKey.export({ format: 'der', type: 'pkcs8' });
    this.key = new Uint8Array(hkdfSync('sha256', material, 'oo-auth', 'oauth-state-cookie', 32));
  }

  store(
    request: OAuthRequest,
    verifier: string,
    _state: unknown,
    _meta: unknown,
    done: StoreCallback,
  ): void {
    const state = randomBytes(24).toString('base64url');
    const pending: PendingSignIn = { state, verifier, returnTo: request.returnTo ?? '/' };
    this.seal(pending).then(
      (sealed) => {
        request.pendingCookie = sealed;
        done(null, state);
      },
      (error: Error) => done(error),
    );
  }

  verify(request: OAuthRequest, providedState: string, done: VerifyCallback): void {
    this.read(request).then((pending) => {
      if (!pending) {
        return done(null, false, { message: 'the sign-in attempt is unknown or expired' });
      }
      const expected = Buffer.from(pending.state);
      const given = Buffer.from(String(providedState ?? ''));
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
        return done(null, false, { message: 'the state does not match this sign-in attempt' });
      }
      // passport hands this on to `success` as `info.state`.
      done(null, pending.verifier, { returnTo: pending.returnTo });
    }, done);
  }

  /** The pending sign-in of this browser, if its cookie is intact and fresh. */
  private async read(request: OAuthRequest): Promise<PendingSignIn | undefined> {
    const sealed = parseCookies(request.headers.cookie).get(this.cookieName);
    if (!sealed) return undefined;
    try {
      const { payload } = await jwtDecrypt<PendingSignIn>(sealed, this.key, {
        keyManagementAlgorithms: ['dir'],
        contentEncryptionAlgorithms: ['A256GCM'],
        requiredClaims: ['exp'],
      });
      return payload;
    } catch {
      return undefined;
    }
  }

  private seal(pending: PendingSignIn): Promise<string> {
    return new EncryptJWT({ ...pending })
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .setExpirationTime(`${LIFETIME_SECONDS}s`)
      .encrypt(this.key);
  }
}
