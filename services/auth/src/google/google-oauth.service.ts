import { Inject, Injectable } from '@nestjs/common';
import { Strategy as GoogleStrategy, type Profile } from 'passport-google-oauth20';
import { AUTH_ENV, type AuthEnv } from '../config/env.js';
import { OAuthStateStore, type OAuthRequest } from './oauth-state.store.js';

/** Who Google says signed in: keyed by `sub`, never by email. */
export interface GoogleIdentity {
  subject: string;
  email: string;
  name: string;
}

export type StrategyOutcome =
  | { kind: 'redirect'; url: string }
  | { kind: 'success'; identity: GoogleIdentity; returnTo: string }
  | { kind: 'refused'; reason: string }
  | { kind: 'error'; error: Error };

/** Where a signed-in user may be sent back to: relative paths of the SPA, nothing else. */
export const RETURN_PATHS = [
  '/',
  '/tip',
  '/connect',
  '/settings',
  '/legal/terms',
  '/legal/privacy',
] as const;

export function allowedReturnTo(value: string | undefined): string {
  // Parsed against a placeholder origin: anything that leaves it (`//host`, `/\\host`, a
  // scheme) or names another path falls back to `/`. A query is kept (`/?tip=<id>`).
  if (!value?.startsWith('/')) return '/';
  const origin = 'http://return-to.invalid';
  let url: URL;
  try {
    url = new URL(value, origin);
  } catch {
    return '/';
  }
  if (url.origin !== origin) return '/';
  const path = RETURN_PATHS.find((allowed) => allowed === url.pathname);
  return path ? `${path}${url.search}` : '/';
}

/**
 * Google OAuth2 with state and PKCE through passport-google-oauth20. The strategy runs without
 * passport's middleware: we give it the request and collect its redirect, success or failure,
 * so Fastify keeps the reply. URLs come from the env, so tests run against a local mock.
 */
@Injectable()
export class GoogleOAuthService {
  readonly states: OAuthStateStore;
  private readonly strategy: GoogleStrategy;

  constructor(@Inject(AUTH_ENV) env: AuthEnv) {
    const [active] = env.SESSION_SIGNING_KEYS;
    const production = env.OO_ENV === 'production';
    this.states = new OAuthStateStore(active!.privateKey, `${production ? '__Host-' : ''}oo_oauth`);
    this.strategy = new GoogleStrategy(
      {
        clientID: env.GOOGLE_CLIENT_ID || 'oo-development',
        clientSecret: env.GOOGLE_CLIENT_SECRET || 'oo-development',
        callbackURL: new URL('/auth/google/callback', env.PUBLIC_URL).toString(),
        authorizationURL: env.GOOGLE_AUTHORIZATION_URL,
        tokenURL: env.GOOGLE_TOKEN_URL,
        userProfileURL: env.GOOGLE_USERINFO_URL,
        scope: ['openid', 'email', 'profile'],
        state: true,
        pkce: true,
        store: this.states as never,
      },
      (
        _accessToken: string,
        _refreshToken: string,
        profile: Profile,
        done: (error: Error | null, user?: GoogleIdentity) => void,
      ) => {
        const email = profile.emails?.[0];
        // The email names the account to the user and decides the admin role (ADMIN_EMAILS):
        // only one Google has verified counts.
        if (!profile.id || !email?.value || email.verified !== true) {
          return done(null, undefined);
        }
        done(null, {
          subject: profile.id,
          email: email.value,
          name: profile.displayName || email.value,
        });
      },
    );
  }

  /** Runs one step of the flow (start or callback) and says what to do next. */
  run(request: OAuthRequest): Promise<StrategyOutcome> {
    return new Promise((resolve) => {
      // passport's own trick: a per-request copy of the strategy with its outcome callbacks.
      const step = Object.create(this.strategy) as {
        authenticate(request: unknown, options: object): void;
        redirect(url: string): void;
        success(identity: GoogleIdentity, info?: { state?: { returnTo?: string } }): void;
        fail(challenge?: unknown): void;
        error(error: Error): void;
        pass(): void;
      };
      step.redirect = (url) => resolve({ kind: 'redirect', url });
      step.success = (identity, info) =>
        resolve({ kind: 'success', identity, returnTo: info?.state?.returnTo ?? '/' });
      step.fail = (challenge) => resolve({ kind: 'refused', reason: describe(challenge) });
      step.error = (error) => resolve({ kind: 'error', error });
      step.pass = () => resolve({ kind: 'refused', reason: 'nothing to do' });
      step.authenticate(request, {});
    });
  }
}

function describe(challenge: unknown): string {
  if (typeof challenge === 'object' && challenge !== null && 'message' in challenge) {
    return String(challenge.message);
  }
  return 'Google did not confirm the sign-in';
}
