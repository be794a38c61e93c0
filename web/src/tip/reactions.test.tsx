import { describe, expect, it } from 'vitest';
import { isRating, outcomeOf } from './reactions';

describe('reactions', () => {
  it('tells ratings from the reactions that end a tip', () => {
    expect(isRating('helpful')).toBe(true);
    expect(isRating('not_helpful')).toBe(true);
    expect(isRating('done')).toBe(false);
    expect(isRating('snooze')).toBe(false);
  });

  it.each([
    ['done', undefined, 'Done.'],
    ['dismiss', undefined, 'Dismissed.'],
    ['snooze', 60, 'Snoozed for 1 hour.'],
    ['snooze', 1440, 'Snoozed until tomorrow.'],
    ['snooze', 42, 'Snoozed.'],
  ] as const)('words the outcome of %s (%s min) as %j', (action, minutes, words) => {
    expect(outcomeOf(action, minutes)).toBe(words);
  });
});
