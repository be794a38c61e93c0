import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { SignedIn } from '@oo/access';
import { RPC, validateRpcRequest, type Tip } from '@oo/contracts';
import { RpcClient } from '@oo/messaging';
import { httpError, parseInput } from '@oo/platform';
import type { FastifyReply } from 'fastify';
import { serviceCall } from '../http/service-call.js';
import { CurrentSession, type Session } from '../sessions/current-session.js';

/**
 * A decision waits for integrations' tasks and, up to RECOMMENDER_SCORER_TIMEOUT_MS, for the
 * scorer; past this the recommender is in trouble and the user gets a 503.
 */
const RECOMMEND_TIMEOUT_MS = 3_000;
const TIP_TIMEOUT_MS = 1_000;

/** The one tip, as the SPA asks for it; the user is the verified session's, never the client's. */
@Controller()
@SignedIn()
export class TipsController {
  constructor(private readonly rpc: RpcClient) {}

  /** 200 with the tip, 204 when there is nothing to suggest. */
  @Get('api/tip')
  async current(
    @CurrentSession() session: Session,
    @Query() query: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Tip | undefined> {
    parseInput('tips.current', 'query', query);
    const { tip } = await serviceCall(
      'recommender',
      this.rpc.call(
        RPC.recommender.recommend,
        { userId: session.userId, channel: 'web' },
        RECOMMEND_TIMEOUT_MS,
      ),
    );
    if (tip) return tip;
    reply.status(204);
    return undefined;
  }

  /** One of the user's own tips; someone else's is as unknown as one that never was (404). */
  @Get('api/tips/:tipId')
  async one(
    @CurrentSession() session: Session,
    @Param('tipId') tipId: string,
    @Query() query: unknown,
  ): Promise<Tip> {
    parseInput('tips.get', 'query', query);
    const request = validateRpcRequest(RPC.recommender.tip, { userId: session.userId, tipId });
    if (!request.ok) throw httpError(404, 'not_found', 'No such tip of yours', 'tipId');
    const { tip } = await serviceCall(
      'recommender',
      this.rpc.call(RPC.recommender.tip, request.value, TIP_TIMEOUT_MS),
    );
    return tip;
  }
}
