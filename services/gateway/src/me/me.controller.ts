import { Body, Controller, Delete, Get, HttpCode, Patch, Query } from '@nestjs/common';
import { RPC, type ProfileDeleteResponse, type ProfileGetResponse } from '@oo/contracts';
import { RpcClient } from '@oo/messaging';
import { SignedIn } from '@oo/access';
import { parseInput } from '@oo/platform';
import { serviceCall } from '../http/service-call.js';
import { CurrentSession, type Session } from '../sessions/current-session.js';
import { SessionChecksRepository } from '../sessions/session-checks.repository.js';

const PROFILE_TIMEOUT_MS = 1_000;
// Starting a deletion commits a transaction and a JetStream publish; it is rare and not on a hot
// path, so it may take longer than a read before the user is told to try again.
const DELETION_TIMEOUT_MS = 5_000;

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
    parseInput('me.get', 'query', query);
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
    parseInput('me.update', 'query', query);
    // What the body may hold is schemas/http/me.update.body.json; the profile service checks
    // what only it can know (a real time zone, quiet hours of some length, the current terms).
    const changes = parseInput('me.update', 'body', body);
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
    parseInput('me.delete', 'query', query);
    const progress = await serviceCall(
      'profile',
      this.rpc.call(RPC.profile.delete, { userId: session.userId }, DELETION_TIMEOUT_MS),
    );
    await this.sessions.revokeDeletedUser(session.userId);
    return progress;
  }
}
