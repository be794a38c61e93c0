import type { TipReaction } from '../api/oo-api';
import { SNOOZE_OPTIONS } from './snooze-options';

/** Done, dismiss and snooze end a tip; a rating only says something about it. */
export type TerminalReaction = Extract<TipReaction, 'done' | 'dismiss' | 'snooze'>;
export type Rating = Extract<TipReaction, 'helpful' | 'not_helpful'>;

export const isRating = (action: TipReaction): action is Rating =>
  action === 'helpful' || action === 'not_helpful';

/** What the status region says once a tip has ended. */
export function outcomeOf(action: TerminalReaction, snoozeMinutes?: number): string {
  switch (action) {
    case 'done':
      return 'Done.';
    case 'dismiss':
      return 'Dismissed.';
    case 'snooze':
      return (
        SNOOZE_OPTIONS.find((option) => option.minutes === snoozeMinutes)?.outcome ?? 'Snoozed.'
      );
  }
}
