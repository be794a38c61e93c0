import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EventDataMap } from '@oo/contracts';
import { isUniqueViolation } from '@oo/database';
import { EventPublisher, publishOutboxEntry } from '@oo/messaging';
import { v7 as uuidv7 } from 'uuid';
import { RECOMMENDER_ENV, type RecommenderEnv } from '../config/env.js';
import { Prisma, PrismaClient } from '../generated/prisma/client.js';
import type { TaskHold } from '../holds/task-hold.repository.js';
import {
  DEFAULT_SNOOZE_MINUTES,
  DONE_HOLD_MINUTES,
  reactionRule,
  type ReactionAction,
  type ReactionKind,
  type ReactionSource,
} from './reaction-rules.js';
import { ReactionMetrics } from './reaction.metrics.js';
import { ReactionStore, type FeedbackTip, type StoredReaction } from './reaction-store.js';

/** A reaction to record: who reacted to which tip, how, and when. */
export interface Reaction {
  /** The tip's owner: a tip of anyone else is not found. */
  userId: string;
  tipId: string;
  action: ReactionAction;
  source: ReactionSource;
  at: Date;
  /** For `snooze`: how long the task stays out of the candidates (already validated). */
  snoozeMinutes?: number;
}

export interface AcceptedReaction {
  outcome: 'accepted';
  tipId: string;
  taskId: string;
  action: ReactionAction;
  reward: number;
  /** The id of the `signals.tip.feedback` event (also its `Nats-Msg-Id`). */
  eventId: string;
  /** Until when the task is out of the candidates (snooze, dismiss, done). */
  heldUntil?: Date;
}

/** The tip already has a reaction of this kind: `existing` is the one that counted. */
export interface RefusedReaction {
  outcome: 'conflict';
  kind: ReactionKind;
  /** Undefined only if the tip vanished meanwhile (its user was deleted). */
  existing?: ReactionAction;
}

export type ReactionOutcome = AcceptedReaction | RefusedReaction | { outcome: 'not_found' };

/** How many unpublished reactions one relay pass takes on. */
const RELAY_BATCH = 200;

const SERVICE = 'recommender';
/** The primary key `(tip_id, kind)`: a second reaction of a kind is refused by it. */
const REACTION_KEY = 'tip_reaction_pkey';

/**
 * Turns a reaction into a reward the scorer learns from: one transaction stores the reaction
 * (the database refuses a second of its kind), ends the tip for a terminal one and sets its
 * `terminal_at` (out of the expiry candidates), and holds the task for a snooze, a dismiss or
 * a done; then `signals.tip.feedback.<u>` is published under the reaction's own event id. The row is the outbox: if the publish does not happen (a crash,
 * JetStream away), `publishPending` sends the same event later, so no reward is ever lost and
 * none counts twice (the stream and every consumer dedupe by id). A feedback that breaks its
 * contract can never be published: it goes to the dead-letter stream with the reason, its row
 * keeps the reason (`publish_error`), and the relay never tries it again.
 */
@Injectable()
export class TipReactions {
  private readonly logger = new Logger(TipReactions.name);

  constructor(
    private readonly prisma: PrismaClient,
    private readonly publisher: EventPublisher,
    private readonly store: ReactionStore,
    @Inject(RECOMMENDER_ENV) private readonly env: RecommenderEnv,
    private readonly metrics: ReactionMetrics,
  ) {}

  async react(reaction: Reaction): Promise<ReactionOutcome> {
    const rule = reactionRule(reaction.action);
    const hold = this.holdFor(reaction);
    let stored: Awaited<ReturnType<ReactionStore['store']>>;
    try {
      stored = await this.store.store({
        userId: reaction.userId,
        tipId: reaction.tipId,
        kind: rule.kind,
        action: reaction.action,
        reward: rule.reward,
        source: reaction.source,
        at: reaction.at,
        eventId: uuidv7(),
        ...(rule.ends ? { ends: rule.ends } : {}),
        ...(hold ? { hold } : {}),
      });
    } catch (error) {
      if (!isUniqueViolation(error, REACTION_KEY)) throw error;
      this.metrics.refusedAsRepeat(rule.kind);
      return this.refusal(reaction.tipId, rule.kind);
    }
    if (!stored) return { outcome: 'not_found' };
    this.metrics.recorded(reaction.action, reaction.source);
    const { tip, row } = stored;
    await this.publishStored(tip, row);
    return {
      outcome: 'accepted',
      tipId: tip.id,
      taskId: tip.taskId,
      action: reaction.action,
      reward: rule.reward,
      eventId: row.eventId,
      ...(hold ? { heldUntil: hold.until } : {}),
    };
  }

  /**
   * Publishes the feedback of reactions stored before `before` whose publish never completed
   * (leaving those dead-lettered as unpublishable); answers how many it published. Safe on several instances at once: a reaction published
   * twice is one event (same id).
   */
  async publishPending(before: Date): Promise<number> {
    const rows = await this.prisma.tipReaction.findMany({
      where: { publishedAt: null, publishError: null, reactedAt: { lt: before } },
      include: { tip: true },
      orderBy: { reactedAt: 'asc' },
      take: RELAY_BATCH,
    });
    let published = 0;
    for (const { tip, ...row } of rows) {
      if (await this.publishStored(tip, row)) published += 1;
    }
    return published;
  }

  /**
   * Publishes one stored reaction and marks it; false (logged) when JetStream refused, or when
   * the event breaks its contract (then dead-lettered and marked, so never retried).
   */
  private publishStored(tip: FeedbackTip, row: StoredReaction): Promise<boolean> {
    return publishOutboxEntry(this.publisher, SERVICE, this.logger, {
      type: 'tip.feedback',
      userId: tip.userId,
      data: feedbackData(tip, row),
      id: row.eventId,
      occurredAt: row.reactedAt,
      label: `Feedback ${row.eventId} for tip ${tip.id}`,
      markPublished: () => this.store.markPublished(row.tipId, row.kind),
      markUnpublishable: (reason) => this.store.markUnpublishable(row.tipId, row.kind, reason),
    });
  }

  private holdFor(reaction: Reaction): Pick<TaskHold, 'until' | 'reason'> | undefined {
    const minutes = this.holdMinutes(reaction);
    if (minutes === undefined) return undefined;
    return {
      until: new Date(reaction.at.getTime() + minutes * 60_000),
      reason: reaction.action as TaskHold['reason'],
    };
  }

  private holdMinutes(reaction: Reaction): number | undefined {
    switch (reaction.action) {
      case 'snooze':
        return reaction.snoozeMinutes ?? DEFAULT_SNOOZE_MINUTES;
      case 'dismiss':
        return this.env.RECOMMENDER_DISMISS_COOLOFF_HOURS * 60;
      case 'done':
        return DONE_HOLD_MINUTES;
      case 'expired':
      case 'helpful':
      case 'not_helpful':
        return undefined;
    }
  }

  private async refusal(tipId: string, kind: ReactionKind): Promise<RefusedReaction> {
    const existing = await this.prisma.tipReaction.findUnique({
      where: { tipId_kind: { tipId, kind } },
      select: { action: true },
    });
    return {
      outcome: 'conflict',
      kind,
      ...(existing ? { existing: existing.action as ReactionAction } : {}),
    };
  }
}

/**
 * The feedback event of a stored reaction: everything the scorer learns from is the tip's as
 * it was decided (policy, features, propensity, shadows' features), so a replay teaches
 * exactly what the first delivery taught.
 */
export function feedbackData(tip: FeedbackTip, row: StoredReaction): EventDataMap['tip.feedback'] {
  const shadow = (tip.shadow ?? {}) as Prisma.JsonObject as Record<string, number[]>;
  return {
    tipId: tip.id,
    taskId: tip.taskId,
    action: row.action as ReactionAction,
    reward: row.reward,
    policy: tip.policy,
    features: tip.features as number[],
    propensity: tip.propensity,
    shadow: Object.entries(shadow).map(([policy, features]) => ({ policy, features })),
    source: row.source as ReactionSource,
  };
}
