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

/**
 * The token endpoint refused the refresh token (400, `invalid_grant`): the grant was revoked
 * or the token already rotated away. Only the user connecting again helps.
 */
export class OAuthRefreshRefused extends Error {
  override readonly name = 'OAuthRefreshRefused';
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
    const body = await this.tokenRequest({ code }, OAuthExchangeFailed);
    return toTokens(body, null, now);
  }

  /**
   * Trades a refresh token for a new access token (RFC 6749 §6). Todoist rotates the refresh
   * token on every use: the answer's one replaces it, and the old one is refused from now on,
   * so the caller must store the result or lose the grant. Throws OAuthRefreshRefused on a
   * 400 (`invalid_grant`), OAuthProviderDown on 5xx, a timeout or a refused client (401: a
   * secret being rotated is our problem, not the user's).
   */
  async refresh(refreshToken: string, now: Date = new Date()): Promise<ExchangedTokens> {
    const body = await this.tokenRequest(
      { grant_type: 'refresh_token', refresh_token: refreshToken },
      OAuthRefreshRefused,
    );
    // RFC 6749 §6: an answer without a refresh token leaves the old one in force.
    return toTokens(body, refreshToken, now);
  }

  private async tokenRequest(
    grant: Record<string, string>,
    refused: new (message: string) => Error,
  ): Promise<TokenAnswer> {
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
          ...grant,
        }),
        signal: AbortSignal.timeout(this.env.TODOIST_TIMEOUT_MS),
      });
    } catch (error) {
      throw new OAuthProviderDown(`POST /access_token did not answer (${(error as Error).name})`);
    }
    // A refresh that fails for our reasons (429, a refused client) is not the user's grant
    // failing: the token is kept and tried again later.
    const refreshing = grant['grant_type'] === 'refresh_token';
    const transient = refreshing && (response.status === 429 || response.status === 401);
    if (response.status >= 500 || transient) {
      await response.body?.cancel().catch(() => undefined);
      throw new OAuthProviderDown(`POST /access_token answered ${response.status}`);
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw new refused(`POST /access_token answered ${response.status}`);
    }
    const body = (await response.json().catch(() => null)) as TokenAnswer | null;
    if (typeof body?.access_token !== 'string' || body.access_token === '') {
      const message = 'POST /access_token answered without an access token';
      throw refreshing ? new OAuthProviderDown(message) : new refused(message);
    }
    return body;
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

/** The stored shape of a token answer; `keptRefreshToken` when the answer names none. */
function toTokens(body: TokenAnswer, keptRefreshToken: string | null, now: Date): ExchangedTokens {
  const expiresIn = Number(body.expires_in);
  return {
    accessToken: body.access_token as string,
    // Tokens of older Todoist apps do not expire and come without a refresh token; keep both
    // when it sends them, so the refresh path has what it needs.
    refreshToken:
      typeof body.refresh_token === 'string' && body.refresh_token !== ''
        ? body.refresh_token
        : keptRefreshToken,
    accessTokenExpiresAt:
      Number.isFinite(expiresIn) && expiresIn > 0
        ? new Date(now.getTime() + expiresIn * 1000)
        : null,
    scope: typeof body.scope === 'string' && body.scope !== '' ? body.scope : TODOIST_SCOPE,
  };
}
