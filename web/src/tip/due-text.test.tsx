import { describe, expect, it } from 'vitest';
import { describeDue } from './due-text';

// Local wall-clock times: the words are about the browser's own calendar.
const now = new Date(2026, 11, 3, 10, 0); // 3 Dec 2026, 10:00
const time = (hours: number, minutes = 0) =>
  new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' }).format(
    new Date(2026, 0, 1, hours, minutes),
  );

describe('due dates in words', () => {
  it.each([
    ['2026-12-03', 'Due today'],
    ['2026-12-04', 'Due tomorrow'],
    ['2026-12-14', 'Due 14 Dec'],
    ['2026-12-02', 'Overdue since yesterday'],
    ['2026-11-20', 'Overdue since 20 Nov'],
    ['2027-01-05', 'Due 5 Jan 2027'],
  ])('all-day %s → %s', (due, words) => {
    expect(describeDue(due, now)?.text).toBe(words);
  });

  it('adds the time of a timed task (floating: read on the local clock)', () => {
    expect(describeDue('2026-12-03T16:30:00', now)?.text).toBe(`Due today at ${time(16, 30)}`);
    expect(describeDue('2026-12-04T09:00:00', now)?.text).toBe(`Due tomorrow at ${time(9)}`);
    expect(describeDue('2026-12-03T08:00:00', now)?.text).toBe(`Overdue since ${time(8)}`);
    expect(describeDue('2026-12-01T08:00:00', now)?.text).toBe(`Overdue since 1 Dec, ${time(8)}`);
  });

  it('reads a fixed instant in the browser zone', () => {
    const instant = new Date(2026, 11, 14, 9, 0);
    expect(describeDue(instant.toISOString(), now)?.text).toBe(`Due 14 Dec at ${time(9)}`);
  });

  it('says nothing for no date or a date it cannot read', () => {
    expect(describeDue(null, now)).toBeUndefined();
    expect(describeDue('someday', now)).toBeUndefined();
  });
});
