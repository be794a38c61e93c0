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
 * How long a task marked done stays out of the candidates: until integrations has taken the
 * done (it closes the task at its app on the feedback event and hides it from then on), which
 * takes a moment after the reaction; meanwhile the cached task set still lists it and it could
 * be the very next tip. Short on purpose, as long as integrations' own hiding: a recurring
 * task keeps its id and comes back with its next date, and must not be held for longer.
 */
export const DONE_HOLD_MINUTES = 10;
