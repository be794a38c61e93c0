import { Injectable, Logger } from '@nestjs/common';
import type {
  IntegrationsCompleteRequest,
  IntegrationsCompleteResponse,
  IntegrationsConnectUrlRequest,
  IntegrationsConnectUrlResponse,
} from '@oo/contracts';
import { isUniqueViolation } from '@oo/database';
import { EventPublisher, rpcFailure } from '@oo/messaging';
import { ConnectionRepository } from '../connections/connection.repository.js';
import { TodoistApiClient } from '../todoist/todoist-api.client.js';
import { TodoistError, TodoistRateLimited, TodoistUnavailable } from '../todoist/todoist-errors.js';
import { FirstSync } from './first-sync.js';
import { OAuthStateStore } from './oauth-state.store.js';
import {
  OAuthExchangeFailed,
  OAuthProviderDown,
  TodoistOAuth,
  type ExchangedTokens,
} from './todoist-oauth.js';

type CompleteError = NonNullable<IntegrationsCompleteResponse['error']>;

const SUPPORTED = 'todoist';

/**
 * Connecting a task app: the authorize URL with a state bound to the session, then the
 * callback — state checked and spent, code exchanged, the provider's user id read, the
 * connection stored (tokens encrypted), `integration.connected` published, a first sync asked
 * for. Tokens appear in no log, error or reply.
 */
@Injectable()
export class ConnectService {
  private readonly logger = new Logger(ConnectService.name);

  constructor(
    private readonly states: OAuthStateStore,
    private readonly oauth: TodoistOAuth,
    private readonly todoist: TodoistApiClient,
    private readonly connections: ConnectionRepository,
    private readonly publisher: EventPublisher,
    private readonly firstSync: FirstSync,
  ) {}

  async connectUrl(
    request: IntegrationsConnectUrlRequest,
  ): Promise<IntegrationsConnectUrlResponse> {
    if (request.provider !== SUPPORTED) {
      throw rpcFailure('not_found', `oO cannot connect ${request.provider}`, 'provider');
    }
    const state = await this.states.issue({
      userId: request.userId,
      sessionId: request.sessionId,
      provider: request.provider,
    });
    return { url: this.oauth.authorizeUrl(state) };
  }

  async complete(request: IntegrationsCompleteRequest): Promise<IntegrationsCompleteResponse> {
    const { userId, sessionId, provider } = request;
    if (provider !== SUPPORTED) return this.failed(userId, 'unknown_provider');
    // Spent whatever happens next: a state is good for one callback only.
    const binding = await this.states.consume(request.state);
    if (
      !binding ||
      binding.userId !== userId ||
      binding.sessionId !== sessionId ||
      binding.provider !== provider
    ) {
      return this.failed(userId, 'bad_state');
    }
    if (request.error !== undefined) {
      return this.failed(
        userId,
        request.error === 'access_denied' ? 'access_denied' : 'exchange_failed',
      );
    }
    if (request.code === undefined) return this.failed(userId, 'exchange_failed');

    let providerUserId: string;
    let tokens: ExchangedTokens;
    try {
      tokens = await this.oauth.exchange(request.code);
      providerUserId = (await this.todoist.currentUser({ userId, token: tokens.accessToken })).id;
    } catch (error) {
      const outcome = providerFailure(error);
      if (!outcome) throw error;
      // These errors name the endpoint and status only (todoist-oauth.ts, todoist-errors.ts).
      this.logger.warn(`connect ${provider} for ${userId}: ${(error as Error).message}`);
      return this.failed(userId, outcome);
    }

    const { scope, ...secret } = tokens;
    try {
      await this.connections.save({ userId, provider, providerUserId, scope, tokens: secret });
    } catch (error) {
      // Webhooks name users by the provider's id, so one provider account serves one oO user:
      // the unique (provider, provider_user_id) refuses a second holder, races included.
      if (isUniqueViolation(error)) return this.failed(userId, 'account_in_use');
      throw error;
    }
    await this.publisher.publish('integration.connected', userId, { provider });
    this.logger.log(`${userId} connected ${provider}`);
    this.firstSync.requestFirstSync(userId, provider);
    return { outcome: 'connected' };
  }

  private failed(userId: string, error: CompleteError): IntegrationsCompleteResponse {
    this.logger.log(`connect refused for ${userId}: ${error}`);
    return { outcome: 'error', error };
  }
}

/** What a failed exchange or user lookup tells the user; undefined for our own failures. */
function providerFailure(error: unknown): CompleteError | undefined {
  if (
    error instanceof OAuthProviderDown ||
    error instanceof TodoistUnavailable ||
    error instanceof TodoistRateLimited
  ) {
    return 'provider_down';
  }
  if (error instanceof OAuthExchangeFailed || error instanceof TodoistError) {
    return 'exchange_failed';
  }
  return undefined;
}
