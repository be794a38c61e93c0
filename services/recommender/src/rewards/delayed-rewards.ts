import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Envelope } from '@oo/contracts';
import { RECOMMENDER_ENV, type RecommenderEnv } from '../config/env.js';
import { PrismaClient } from '../generated/prisma/client.js';
import { TipReactions } from '../reacting/tip-reactions.js';
import { RewardsMetrics } from './rewards.metrics.js';

/** What one completion came to; logged, counted, and what the tests read back. */
export type DelayedRewardOutcome =
  | 'rewarded' // a done +1 for the most recent tip of the task, which had no terminal reaction
  | 'own_done' // `via: oo`: oO closed it on the user's done, which was the reward already
  | 'no_tip' // no tip of the task served within the window before it
  | 'already_reacted'; // the most recent tip has its terminal reaction (the user's, a redelivery's)

/**
 * A task the user completed in its app after oO suggested it is the tip's reward, even though
 * the user never pressed done: `signals.task.completed` (webhook or reconcile) for a task whose
 * tip was served at most `TIP_EXPIRY_HOURS` before the completion becomes a `done` +1 with the
 * event's `via` as its `source` (so integrations does not close the task again). Only the most
 * recent tip of the task within the window counts (web and push may both have suggested it):
 * if it already has a terminal reaction (the user snoozed it, say), the user's latest tip of
 * the task got its reward, and an older tip left without one is not rewarded in its place.
 *
 * Counted once without a ledger of its own: the reaction's key (one terminal reaction per tip)
 * refuses a second done, whether it comes from a redelivery, from reconcile seeing the
 * completion the webhook reported, or from a concurrent instance.
 */
@Injectable()
export class DelayedRewards {
  private readonly logger = new Logger(DelayedRewards.name);
  private readonly windowMs: number;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly reactions: TipReactions,
    private readonly metrics: RewardsMetrics,
    @Inject(RECOMMENDER_ENV) env: RecommenderEnv,
  ) {
    this.windowMs = env.TIP_EXPIRY_HOURS * 3_600_000;
  }

  async handle(event: Envelope<'task.completed'>): Promise<DelayedRewardOutcome> {
    const outcome = await this.reward(event);
    this.metrics.completion(event.data.via, outcome);
    this.logger.log(
      `delayed_reward ${outcome} user=${event.userId} task=${event.data.taskId} via=${event.data.via} event=${event.id}`,
    );
    return outcome;
  }

  private async reward(event: Envelope<'task.completed'>): Promise<DelayedRewardOutcome> {
    const { userId, data } = event;
    if (data.via === 'oo') return 'own_done';
    const completedAt = new Date(data.completedAt);
    const tip = await this.prisma.tip.findFirst({
      where: {
        userId,
        provider: data.source,
        taskId: data.taskId,
        servedAt: { lte: completedAt, gt: new Date(completedAt.getTime() - this.windowMs) },
      },
      // The id breaks a tie of served_at, so every instance and redelivery picks the same tip.
      orderBy: [{ servedAt: 'desc' }, { id: 'desc' }],
      // terminal_at is set with the tip's terminal reaction, in the same statement.
      select: { id: true, terminalAt: true },
    });
    if (!tip) return 'no_tip';
    if (tip.terminalAt !== null) return 'already_reacted';
    const outcome = await this.reactions.react({
      userId,
      tipId: tip.id,
      action: 'done',
      source: data.via,
      at: completedAt,
    });
    // not_found: the tip was purged with its user meanwhile; nothing is owed to anyone.
    return outcome.outcome === 'accepted'
      ? 'rewarded'
      : outcome.outcome === 'conflict'
        ? 'already_reacted'
        : 'no_tip';
  }
}
