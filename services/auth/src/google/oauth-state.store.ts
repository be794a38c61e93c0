import {
  createCipheriv,
  createDecipheriv,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
  type KeyObject,
} from 'node:crypto';
import { parseCookies } from '@oo/sessions';

/** What one sign-in attempt remembers between the redirect to Google and the callback. */
export interface PendingSignIn {
  state: string;
  verifier: string;
  returnTo: string;
  expiresAt: number;
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

const LIFETIME_MS = 10 * 60_000;

/**
 * passport-oauth2's PKCE state store, without a server-side session: the state and the PKCE
 * verifier travel in an AES-256-GCM encrypted, httpOnly cookie bound to this browser, and the
 * callback must present both the cookie and the matching `state`.
 */
export class OAuthStateStore {
  private readonly key: Buffer;

  constructor(
    signingKey: KeyObject,
    readonly cookieName: string,
  ) {
    // A key of its own, derived from the session signing key: no extra secret to manage.
    const material = signingKey.export({ format: 'der', type: 'pkcs8' });
    this.key = Buffer.from(hkdfSync('sha256', material, 'oo-auth', 'oauth-state-cookie', 32));
  }

  store(
    request: OAuthRequest,
    verifier: string,
    _state: unknown,
    _meta: unknown,
    done: StoreCallback,
  ): void {
    const state = randomBytes(24).toString('base64url');
    const pending: PendingSignIn = {
      state,
      verifier,
      returnTo: request.returnTo ?? '/',
      expiresAt: Date.now() + LIFETIME_MS,
    };
    request.pendingCookie = this.seal(pending);
    done(null, state);
  }

  verify(request: OAuthRequest, providedState: string, done: VerifyCallback): void {
    const pending = this.read(request);
    if (!pending)
      return done(null, false, { message: 'the sign-in attempt is unknown or expired' });
    const expected = Buffer.from(pending.state);
    const given = Buffer.from(String(providedState ?? ''));
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      return done(null, false, { message: 'the state does not match this sign-in attempt' });
    }
    done(null, pending.verifier, { returnTo: pending.returnTo });
  }

  /** The pending sign-in of this browser, if its cookie is intact and fresh. */
  read(request: OAuthRequest): PendingSignIn | undefined {
    const sealed = parseCookies(request.headers.cookie).get(this.cookieName);
    if (!sealed) return undefined;
    try {
      const bytes = Buffer.from(sealed, 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(0, 12));
      decipher.setAuthTag(bytes.subarray(12, 28));
      const plain = Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]);
      const pending = JSON.parse(plain.toString('utf8')) as PendingSignIn;
      return pending.expiresAt > Date.now() ? pending : undefined;
    } catch {
      return undefined;
    }
  }

  private seal(pending: PendingSignIn): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const sealed = Buffer.concat([cipher.update(JSON.stringify(pending), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
  }
}
