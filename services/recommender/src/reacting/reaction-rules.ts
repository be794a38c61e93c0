import type { EventDataMap } from '@oo/contracts';
import type { TipEndReason } from '../tips/tip.repository.js';

type FeedbackData = EventDataMap['tip.feedback'];

/** What a reaction can be: the user's five, and the sweeper's `expired`. */
export type ReactionAction = FeedbackData['action'];
/** Who reported it (the feedback event's `source`); only `user` closes a task at its app. */
export type ReactionSource = NonNullable<FeedbackData['source']>;
export type ReactionKind = 'terminal' | 'rating';

interface Rule {
  reward: number;
  kind: ReactionKind;
  /** Why the tip stops being the open one; ratings leave it open. */
  ends?: TipEndReason;
}

/**
 * ARCHITECTURE.md §6: done +1, dismiss −1, snooze 0, helpful +0.5, not helpful −0.5, and an
 * expiry 0. A tip takes at most one reaction of each kind: one terminal (it ends the tip) and
 * one rating (it does not).
 */
const RULES: Record<ReactionAction, Rule> = {
  done: { reward: 1, kind: 'terminal', ends: 'done' },
  dismiss: { reward: -1, kind: 'terminal', ends: 'dismiss' },
  snooze: { reward: 0, kind: 'terminal', ends: 'snooze' },
  expired: { reward: 0, kind: 'terminal', ends: 'expired' },
  helpful: { reward: 0.5, kind: 'rating' },
  not_helpful: { reward: -0.5, kind: 'rating' },
};

export function reactionRule(action: ReactionAction): Readonly<Rule> {
  return RULES[action];
}

/** The actions a user may send (`expired` is the sweeper's). */
export const USER_ACTIONS = ['done', 'dismiss', 'snooze', 'helpful', 'not_helpful'] as const;
export type UserAction = (typeof USER_ACTIONS)[number];

/** Snooze length when the user gives none, and the longest allowed (7 days). */
export const DEFAULT_SNOOZE_MINUTES = 60;
export const MAX_SNOOZE_MINUTES = 7 * 24 * 60;

/**
 * How long a task marked done stays out of the candidates. Closing it at the task app and
 * the completion coming back to integrations' cached task set (its webhook, else the next
 * reconcile) take a while; until then the task would still look open and could be the very
 * next tip. A task reopened in its app comes back when this runs out.
 */
export const DONE_HOLD_MINUTES = 24 * 60;
