import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import { INTEGRATIONS_ENV, type IntegrationsEnv } from '../config/env.js';
import { OAuthProviderDown, OAuthRefreshRefused, TodoistOAuth } from '../connect/todoist-oauth.js';
import { PendingRevocationRepository } from '../disconnect/pending-revocation.repository.js';
import { TodoistUnauthorized, TodoistUnavailable } from '../todoist/todoist-errors.js';
import { todoistKeys } from '../todoist/todoist-keys.js';
import { UserLock } from '../sync/sync-lock.js';
import { ConnectionRepository, type ConnectionTokens } from './connection.repository.js';

/** An access token expiring sooner than this is refreshed before it is used. */
export const REFRESH_AHEAD_MS = 60_000;
/** How often a caller waiting on another holder's refresh looks at the stored token. */
const WAIT_POLL_MS = 50;
const REFRESH_REQUEST = 'POST /oauth/access_token';

/** Whether the stored access token should be refreshed before it is sent. */
export function expiresSoon(tokens: ConnectionTokens, now = Date.now()): boolean {
  return (
    tokens.accessTokenExpiresAt !== null &&
    tokens.accessTokenExpiresAt.getTime() - now < REFRESH_AHEAD_MS
  );
}

/**
 * Refreshes a user's access token, once, however many instances and callers want it at the
 * same moment. Todoist rotates the refresh token on every use, so two refreshes with the same
 * one would lose the grant: a per-user Redis lock lets one caller refresh while the others wait
 * and then read the token it stored; the store itself is guarded by the refresh token used
 * (`replaceRefreshedTokens`), for a lock that lapsed. Errors are Todoist's: TodoistUnauthorized
 * when the refresh was refused (the connection is then `needs_reconnect`), TodoistUnavailable
 * when the token endpoint is down (the stored tokens are kept). No token in a log or an error.
 * WARNING: stored data; the key is `oo:integrations:todoist:{<userId>}:token-refresh-lock`.
 */
@Injectable()
export class TokenRefresher {
  private readonly logger = new Logger(TokenRefresher.name);
  private readonly lock: UserLock;
  private readonly lockMs: number;

  constructor(
    private readonly connections: ConnectionRepository,
    private readonly oauth: TodoistOAuth,
    private readonly revocations: PendingRevocationRepository,
    redis: Redis,
    @Inject(INTEGRATIONS_ENV) env: IntegrationsEnv,
  ) {
    // Longer than one token request can take, so the lock does not lapse under a slow one.
    this.lockMs = env.TODOIST_TIMEOUT_MS + 5_000;
    this.lock = new UserLock(redis, todoistKeys.tokenRefreshLock, this.lockMs);
  }

  /**
   * A usable access token in place of `staleAccessToken` (rejected, or about to expire):
   * refreshed now, or by another caller meanwhile. Undefined when the user is not connected
   * or has no refresh token.
   */
  async refresh(
    userId: string,
    provider: string,
    staleAccessToken: string,
  ): Promise<string | undefined> {
    const waitUntil = Date.now() + this.lockMs + 1_000;
    for (;;) {
      const current = await this.connections.readTokens(userId, provider);
      if (!current?.refreshToken) return undefined;
      if (isReplaced(current, staleAccessToken)) return current.accessToken;
      const token = await this.lock.acquire(userId);
      if (token === undefined) {
        if (Date.now() > waitUntil) {
          throw new TodoistUnavailable(REFRESH_REQUEST, 'another refresh did not finish');
        }
        await sleep(WAIT_POLL_MS);
        continue;
      }
      try {
        return await this.refreshHoldingLock(userId, provider, staleAccessToken);
      } finally {
        await this.lock.release(userId, token);
      }
    }
  }

  private async refreshHoldingLock(
    userId: string,
    provider: string,
    staleAccessToken: string,
  ): Promise<string | undefined> {
    // Read again under the lock: the previous holder may have refreshed a moment ago.
    const current = await this.connections.readTokens(userId, provider);
    if (!current?.refreshToken) return undefined;
    if (isReplaced(current, staleAccessToken)) return current.accessToken;
    const used = current.refreshToken;
    let fresh: ConnectionTokens;
    try {
      fresh = await this.oauth.refresh(used);
    } catch (error) {
      if (error instanceof OAuthProviderDown) {
        this.logger.warn(`token refresh for ${userId} failed, token kept: ${error.message}`);
        throw new TodoistUnavailable(REFRESH_REQUEST, error.message);
      }
      if (error instanceof OAuthRefreshRefused) return this.refused(userId, provider, used);
      throw error;
    }
    const outcome = await this.connections.replaceRefreshedTokens(userId, provider, used, fresh);
    if (outcome === 'gone') {
      // Disconnected while Todoist rotated the grant: the new token is the live one now, and
      // the revoke queued by the disconnect names the old one. Revoke this one too.
      await this.revocations.queue(userId, provider, fresh.accessToken);
      return undefined;
    }
    if (outcome === 'superseded') {
      return (await this.connections.readTokens(userId, provider))?.accessToken;
    }
    this.logger.log(`refreshed the ${provider} access token of ${userId}`);
    return fresh.accessToken;
  }

  /** Todoist refused `used`: unless another refresh replaced it meanwhile, the grant is lost. */
  private async refused(userId: string, provider: string, used: string): Promise<string> {
    const current = await this.connections.readTokens(userId, provider);
    if (current?.refreshToken && current.refreshToken !== used) return current.accessToken;
    this.logger.warn(`Todoist refused the refresh token of ${userId}: needs_reconnect`);
    await this.connections.setStatus(userId, provider, 'needs_reconnect');
    throw new TodoistUnauthorized(REFRESH_REQUEST, 400);
  }
}

/** Another caller stored a new access token that is good for a while yet. */
function isReplaced(current: ConnectionTokens, staleAccessToken: string): boolean {
  return current.accessToken !== staleAccessToken && !expiresSoon(current);
}
