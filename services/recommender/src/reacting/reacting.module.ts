import { Module } from '@nestjs/common';
import { FeedbackController } from './feedback.controller.js';
import { ReactionMetrics } from './reaction.metrics.js';
import { ReactionStore } from './reaction-store.js';
import { TipReactions } from './tip-reactions.js';

/** Recording reactions and their rewards: the user's, and those oO infers (completions, expiry). */
@Module({
  controllers: [FeedbackController],
  providers: [TipReactions, ReactionStore, ReactionMetrics],
  exports: [TipReactions],
})
export class ReactingModule {}
