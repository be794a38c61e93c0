import type { TipReaction } from '../api/oo-api';

export interface SnoozeOption {
  label: string;
  minutes: number;
  /** What the status region says once it is done. */
  outcome: string;
}

export const SNOOZE_OPTIONS: readonly SnoozeOption[] = [
  { label: '1 hour', minutes: 60, outcome: 'Snoozed for 1 hour.' },
  { label: '3 hours', minutes: 180, outcome: 'Snoozed for 3 hours.' },
  { label: 'Until tomorrow', minutes: 1440, outcome: 'Snoozed until tomorrow.' },
];

/** Done, dismiss and snooze end a tip; a rating only says something about it. */
export type TerminalReaction = Extract<TipReaction, 'done' | 'dismiss' | 'snooze'>;
export type Rating = Extract<TipReaction, 'helpful' | 'not_helpful'>;

export const isRating = (action: TipReaction): action is Rating =>
  action === 'helpful' || action === 'not_helpful';

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
