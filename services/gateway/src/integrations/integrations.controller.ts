import { Controller, Delete, Get, HttpCode, Inject, Query, Res, UseFilters } from '@nestjs/common';
import { SignedIn } from '@oo/access';
import { RPC, type IntegrationsListResponse } from '@oo/contracts';
import { RpcClient } from '@oo/messaging';
import { parseInput } from '@oo/platform';
import type { FastifyReply } from 'fastify';
import { GATEWAY_ENV, type GatewayEnv } from '../config/env.js';
import { serviceCall } from '../http/service-call.js';
import { CurrentSession, type Session } from '../sessions/current-session.js';
import { connectPage, redirect } from './connect-redirect.js';
import { CallbackErrorRedirect } from './callback-error-redirect.filter.js';

const PROVIDER = 'todoist';
const TIMEOUT_MS = 2_000;
/** The callback waits for Todoist's token and user answers (each may be retried). */
const COMPLETE_TIMEOUT_MS = 30_000;
/** A disconnect waits up to 15 s for a running sync of the user (integrations' ConnectionRemoval). */
const DISCONNECT_TIMEOUT_MS = 20_000;

/**
 * Connecting Todoist, as the browser lives it: `/connect` sends it to Todoist's consent page
 * with a state bound to this session; Todoist sends it back to `/callback` (a top-level
 * navigation, so the Lax session cookie comes along), which hands code and state to
 * integrations and sends the browser on to the SPA's connect page. User and session come from
 * the verified session, never from the query.
 */
@Controller()
@SignedIn()
export class IntegrationsController {
  constructor(
    @Inject(GATEWAY_ENV) private readonly env: GatewayEnv,
    private readonly rpc: RpcClient,
  ) {}

  @Get('integrations/todoist/connect')
  @UseFilters(CallbackErrorRedirect)
  async connect(
    @CurrentSession() session: Session,
    @Query() query: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    parseInput('integrations.todoist_connect', 'query', query);
    // A failed call becomes an HTTP error (serviceCall), which the filter turns into a redirect.
    const { url } = await serviceCall(
      'integrations',
      this.rpc.call(
        RPC.integrations.connectUrl,
        { userId: session.userId, sessionId: session.sessionId, provider: PROVIDER },
        TIMEOUT_MS,
      ),
    );
    await redirect(reply, url);
  }

  @Get('integrations/todoist/callback')
  @UseFilters(CallbackErrorRedirect)
  async callback(
    @CurrentSession() session: Session,
    @Query() query: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { code, state, error } = parseInput('integrations.todoist_callback', 'query', query);
    const answer = await serviceCall(
      'integrations',
      this.rpc.call(
        RPC.integrations.complete,
        {
          userId: session.userId,
          sessionId: session.sessionId,
          provider: PROVIDER,
          // An absent state can never match: integrations answers bad_state.
          state: state ?? '',
          ...(code !== undefined ? { code } : {}),
          ...(error !== undefined ? { error } : {}),
        },
        COMPLETE_TIMEOUT_MS,
      ),
    );
    const outcome =
      answer.outcome === 'connected'
        ? { connected: PROVIDER }
        : { error: answer.error ?? 'exchange_failed' };
    await redirect(reply, connectPage(this.env.PUBLIC_URL, outcome));
  }

  /** The list itself, as ARCHITECTURE.md §4 documents the route (the RPC wraps it). */
  @Get('api/integrations')
  async list(
    @CurrentSession() session: Session,
    @Query() query: unknown,
  ): Promise<IntegrationsListResponse['integrations']> {
    parseInput('integrations.list', 'query', query);
    const { integrations } = await serviceCall(
      'integrations',
      this.rpc.call(RPC.integrations.list, { userId: session.userId }, TIMEOUT_MS),
    );
    return integrations;
  }

  /**
   * Disconnects Todoist: integrations removes the tokens, tasks and cache now and revokes the
   * grant at Todoist afterwards (retried there), so a Todoist outage never blocks this.
   */
  @Delete('api/integrations/todoist')
  @HttpCode(204)
  async disconnect(@CurrentSession() session: Session, @Query() query: unknown): Promise<void> {
    parseInput('integrations.todoist_disconnect', 'query', query);
    await serviceCall(
      'integrations',
      this.rpc.call(
        RPC.integrations.disconnect,
        { userId: session.userId, provider: PROVIDER },
        DISCONNECT_TIMEOUT_MS,
      ),
    );
  }
}
