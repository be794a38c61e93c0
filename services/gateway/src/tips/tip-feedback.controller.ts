import { Body, Controller, HttpCode, Param, Post, Query } from '@nestjs/common';
import { SignedIn } from '@oo/access';
import { RPC, validateRpcRequest, type TipFeedbackResponse } from '@oo/contracts';
import { RpcClient } from '@oo/messaging';
import { httpError, parseInput } from '@oo/platform';
import { serviceCall } from '../http/service-call.js';
import { CurrentSession, type Session } from '../sessions/current-session.js';

/**
 * Recording a reaction is a transaction and a JetStream publish; a user who gives up early and
 * sends it again is told it already counted (409), so there is no harm in waiting a little.
 */
const FEEDBACK_TIMEOUT_MS = 3_000;

/**
 * `POST /api/tips/:tipId/feedback`: the signed-in user's reaction to one of their tips. The user
 * is the session's; the recommender decides whether the tip is theirs and whether it still
 * takes a reaction of this kind (404 / 409).
 */
@Controller('api/tips')
@SignedIn()
export class TipFeedbackController {
  constructor(private readonly rpc: RpcClient) {}

  @Post(':tipId/feedback')
  @HttpCode(200)
  react(
    @CurrentSession() session: Session,
    @Param('tipId') tipId: string,
    @Body() body: unknown,
    @Query() query: unknown,
  ): Promise<TipFeedbackResponse> {
    parseInput('tips.feedback', 'query', query);
    const reaction = parseInput('tips.feedback', 'body', body);
    // The id's form is the RPC's (TipId in schemas/common/defs.json). Something that is not a
    // tip id names no tip of anyone: the same 404 as an unknown or someone else's tip.
    const request = validateRpcRequest(RPC.recommender.feedback, {
      ...reaction,
      userId: session.userId,
      tipId,
    });
    if (!request.ok) {
      if (request.error.field === 'tipId') {
        throw httpError(404, 'not_found', 'You have no tip with this id', 'tipId');
      }
      throw httpError(400, 'invalid_request', request.error.message, request.error.field);
    }
    return serviceCall(
      'recommender',
      this.rpc.call(RPC.recommender.feedback, request.value, FEEDBACK_TIMEOUT_MS),
    );
  }
}
