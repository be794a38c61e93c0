import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { RPC, type TipFeedbackRequest, type TipFeedbackResponse } from '@oo/contracts';
import { RpcContractPipe, rpcFailure } from '@oo/messaging';
import type { ReactionKind } from './reaction-rules.js';
import { TipReactions, type RefusedReaction } from './tip-reactions.js';

/** What a tip takes of each kind, as a refused user is told it. */
const ONE_PER_KIND: Record<ReactionKind, string> = {
  terminal: 'a tip takes one of done, dismiss or snooze',
  rating: 'a tip takes one rating, helpful or not_helpful',
};

/**
 * `rpc.recommender.feedback`: the user's own reaction to one of their tips, as of now. The
 * schema checks each field; the one rule it cannot state (minutes only for a snooze) is here.
 */
@Controller()
export class FeedbackController {
  constructor(private readonly reactions: TipReactions) {}

  @MessagePattern(RPC.recommender.feedback)
  async feedback(
    @Payload(new RpcContractPipe(RPC.recommender.feedback)) request: TipFeedbackRequest,
  ): Promise<TipFeedbackResponse> {
    const { userId, tipId, action, snoozeMinutes } = request;
    if (snoozeMinutes !== undefined && action !== 'snooze') {
      throw rpcFailure(
        'invalid_request',
        `snoozeMinutes is only for snooze, not ${action}`,
        'snoozeMinutes',
      );
    }
    const outcome = await this.reactions.react({
      userId,
      tipId,
      action,
      source: 'user',
      at: new Date(),
      ...(snoozeMinutes !== undefined ? { snoozeMinutes } : {}),
    });
    switch (outcome.outcome) {
      case 'not_found':
        // Someone else's tip and no tip at all look the same: ids of others' tips stay secret.
        throw rpcFailure('not_found', `You have no tip ${tipId}`, 'tipId');
      case 'conflict':
        throw rpcFailure('conflict', refusalMessage(outcome), 'action');
      case 'accepted':
        return {
          tipId: outcome.tipId,
          taskId: outcome.taskId,
          action,
          reward: outcome.reward,
          ...(outcome.heldUntil ? { heldUntil: outcome.heldUntil.toISOString() } : {}),
        };
    }
  }
}

function refusalMessage({ kind, existing }: RefusedReaction): string {
  const already = kind === 'terminal' ? 'already has its terminal reaction' : 'is already rated';
  return `This tip ${already}${existing ? ` (${existing})` : ''}: ${ONE_PER_KIND[kind]}`;
}
