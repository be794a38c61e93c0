import { Inject, Injectable } from '@nestjs/common';
import { INTEGRATIONS_ENV, type IntegrationsEnv } from '../config/env.js';
import type { ConnectionTokens } from '../connections/connection.repository.js';

/** What oO asks Todoist for: read tasks, and close the ones a tip got done. */
export const TODOIST_SCOPE = 'data:read_write';

/** The token endpoint did not answer, or answered 5xx: the user can try again later. */
export class OAuthProviderDown extends Error {
  override readonly name = 'OAuthProviderDown';
}

/** The token endpoint refused the code (4xx) or answered without a token. */
export class OAuthExchangeFailed extends Error {
  override readonly name = 'OAuthExchangeFailed';
}

export interface ExchangedTokens extends ConnectionTokens {
  scope: string;
}

/**
 * Todoist's OAuth 2 endpoints (`<TODOIST_OAUTH_URL>/authorize`, `/access_token`). No PKCE:
 * Todoist's OAuth documents neither `code_challenge` nor a metadata document advertising
 * `code_challenge_methods_supported`, and the code is only worth something with the client
 * secret, which never leaves this service. Errors name the endpoint and status, never the
 * code, the secret or a token.
 */
@Injectable()
export class TodoistOAuth {
  constructor(@Inject(INTEGRATIONS_ENV) private readonly env: IntegrationsEnv) {}

  authorizeUrl(state: string): string {
    const url = new URL(`${this.base()}/authorize`);
    url.searchParams.set('client_id', this.env.TODOIST_CLIENT_ID);
    url.searchParams.set('scope', TODOIST_SCOPE);
    url.searchParams.set('state', state);
    return url.toString();
  }

  async exchange(code: string, now: Date = new Date()): Promise<ExchangedTokens> {
    let response: Response;
    try {
      response = await fetch(`${this.base()}/access_token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: new URLSearchParams({
          client_id: this.env.TODOIST_CLIENT_ID,
          client_secret: this.env.TODOIST_CLIENT_SECRET,
          code,
        }),
        signal: AbortSignal.timeout(this.env.TODOIST_TIMEOUT_MS),
      });
    } catch (error) {
      throw new OAuthProviderDown(`POST /access_token did not answer (${(error as Error).name})`);
    }
    if (response.status >= 500) {
      throw new OAuthProviderDown(`POST /access_token answered ${response.status}`);
    }
    if (!response.ok) {
      throw new OAuthExchangeFailed(`POST /access_token answered ${response.status}`);
    }
    const body = (await response.json().catch(() => null)) as TokenAnswer | null;
    if (typeof body?.access_token !== 'string' || body.access_token === '') {
      throw new OAuthExchangeFailed('POST /access_token answered without an access token');
    }
    const expiresIn = Number(body.expires_in);
    return {
      accessToken: body.access_token,
      // Todoist's tokens do not expire and come without a refresh token today; keep both when
      // it sends them, so the refresh path has what it needs.
      refreshToken: typeof body.refresh_token === 'string' ? body.refresh_token : null,
      accessTokenExpiresAt:
        Number.isFinite(expiresIn) && expiresIn > 0
          ? new Date(now.getTime() + expiresIn * 1000)
          : null,
      scope: typeof body.scope === 'string' && body.scope !== '' ? body.scope : TODOIST_SCOPE,
    };
  }

  private base(): string {
    return this.env.TODOIST_OAUTH_URL.replace(/\/+$/, '');
  }
}

interface TokenAnswer {
  access_token?: unknown;
  token_type?: unknown;
  refresh_token?: unknown;
  expires_in?: unknown;
  scope?: unknown;
}
