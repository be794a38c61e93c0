import { Injectable } from '@nestjs/common';
import { ConnectionRepository } from '../connections/connection.repository.js';
import { TokenRefresher, expiresSoon } from '../connections/token-refresher.js';
import { TodoistUnauthorized, TodoistUnavailable } from '../todoist/todoist-errors.js';

/**
 * Where a call to the provider gets the user's access token. Every caller goes through
 * `withAccessToken`, which refreshes a token about to expire and, when the provider refuses
 * one, refreshes it once and tries the call once more.
 */
export abstract class TokenSource {
  /**
   * The access token to send; undefined when the user is not connected. Throws
   * TodoistUnauthorized when a due refresh was refused (connection `needs_reconnect`),
   * TodoistUnavailable when it could not be done and the stored token has expired.
   */
  abstract accessToken(userId: string, provider: string): Promise<string | undefined>;

  /**
   * A token to try again with after the provider refused `rejected` (401); undefined
   * when there is none (no refresh token, or disconnected). Throws as `accessToken`.
   */
  abstract refreshAfterRejection(
    userId: string,
    provider: string,
    rejected: string,
  ): Promise<string | undefined>;

  /**
   * Runs `request` with the user's access token; when it is refused, refreshes once and runs
   * it once more. Undefined when the user is not connected. A refusal that no refresh cures
   * is thrown as the TodoistUnauthorized it was.
   */
  async withAccessToken<T>(
    userId: string,
    provider: string,
    request: (token: string) => Promise<T>,
  ): Promise<T | undefined> {
    const token = await this.accessToken(userId, provider);
    if (token === undefined) return undefined;
    try {
      return await request(token);
    } catch (error) {
      if (!(error instanceof TodoistUnauthorized)) throw error;
      const fresh = await this.refreshAfterRejection(userId, provider, token);
      if (fresh === undefined || fresh === token) throw error;
      return request(fresh);
    }
  }
}

/** The stored token, refreshed first when it expires within a minute or was refused. */
@Injectable()
export class RefreshingTokenSource extends TokenSource {
  constructor(
    private readonly connections: ConnectionRepository,
    private readonly refresher: TokenRefresher,
  ) {
    super();
  }

  async accessToken(userId: string, provider: string): Promise<string | undefined> {
    const stored = await this.connections.readTokens(userId, provider);
    if (!stored?.refreshToken || !expiresSoon(stored)) return stored?.accessToken;
    try {
      return await this.refresher.refresh(userId, provider, stored.accessToken);
    } catch (error) {
      // The token endpoint is down: a token with some life left is still worth sending.
      const stillValid = stored.accessTokenExpiresAt!.getTime() > Date.now();
      if (error instanceof TodoistUnavailable && stillValid) return stored.accessToken;
      throw error;
    }
  }

  refreshAfterRejection(
    userId: string,
    provider: string,
    rejected: string,
  ): Promise<string | undefined> {
    return this.refresher.refresh(userId, provider, rejected);
  }
}
