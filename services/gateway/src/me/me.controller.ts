import { Body, Controller, Delete, Get, HttpCode, Patch, Query } from '@nestjs/common';
import { z } from '@oo/config';
import { RPC, type ProfileDeleteResponse, type ProfileGetResponse } from '@oo/contracts';
import { RpcClient } from '@oo/messaging';
import { SignedIn } from '@oo/access';
import { NO_QUERY, parseInput } from '@oo/platform';
import { serviceCall } from '../http/service-call.js';
import { CurrentSession, type Session } from '../sessions/current-session.js';
import { SessionChecksRepository } from '../sessions/session-checks.repository.js';

const clock = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'must be HH:MM (24 h)');

/** What PATCH /api/me accepts; anything else is a 400 naming the field. */
export const profileChanges = z
  .object({
    timezone: z.string().min(1).max(64),
    quietHours: z.object({ start: clock, end: clock }).strict(),
    push: z.object({ enabled: z.boolean() }).strict(),
    acceptTerms: z.string().min(1).max(32),
  })
  .partial()
  .strict();

const PROFILE_TIMEOUT_MS = 1_000;

/** `/api/me`: the signed-in user's own profile; the user is the session's, never the body's. */
@Controller('api/me')
@SignedIn()
export class MeController {
  constructor(
    private readonly rpc: RpcClient,
    private readonly sessions: SessionChecksRepository,
  ) {}

  @Get()
  get(@CurrentSession() session: Session, @Query() query: unknown): Promise<ProfileGetResponse> {
    parseInput(NO_QUERY, query, 'query');
    return serviceCall(
      'profile',
      this.rpc.call(RPC.profile.get, { userId: session.userId }, PROFILE_TIMEOUT_MS),
    );
  }

  @Patch()
  update(
    @CurrentSession() session: Session,
    @Body() body: unknown,
    @Query() query: unknown,
  ): Promise<ProfileGetResponse> {
    parseInput(NO_QUERY, query, 'query');
    const changes = parseInput(profileChanges, body);
    return serviceCall(
      'profile',
      this.rpc.call(RPC.profile.update, { ...changes, userId: session.userId }, PROFILE_TIMEOUT_MS),
    );
  }

  /**
   * Deletes the account everywhere: profile records the request and announces it, every service
   * purges; every session of the user stops working now, not when its token expires.
   */
  @Delete()
  @HttpCode(202)
  async remove(
    @CurrentSession() session: Session,
    @Query() query: unknown,
  ): Promise<ProfileDeleteResponse> {
    parseInput(NO_QUERY, query, 'query');
    const progress = await serviceCall(
      'profile',
      this.rpc.call(RPC.profile.delete, { userId: session.userId }, PROFILE_TIMEOUT_MS),
    );
    await this.sessions.revokeUser(session.userId);
    return progress;
  }
}
