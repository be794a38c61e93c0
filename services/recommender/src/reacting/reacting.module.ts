import { Module } from '@nestjs/common';
import { TaskHoldRepository } from '../holds/task-hold.repository.js';
import { TipReactions } from './tip-reactions.js';

/** Recording reactions and their rewards: the user's, and those oO infers (completions, expiry). */
@Module({
  providers: [TipReactions, TaskHoldRepository],
  exports: [TipReactions],
})
export class ReactingModule {}
