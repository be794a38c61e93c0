import { nextOccurrence, parseRecurrence } from './recurrence.js';
import type { Due } from './types.js';

function due(date: string, string: string, datetime: string | null = null): Due {
  return { date, datetime, timezone: null, is_recurring: true, string, lang: 'en' };
}

describe('recurrence', () => {
  const now = new Date('2026-03-10T12:00:00Z');

  it('reads the simple rules and nothing else', () => {
    expect(parseRecurrence('every day')).toEqual({ unit: 'day', count: 1 });
    expect(parseRecurrence('every 3 days')).toEqual({ unit: 'day', count: 3 });
    expect(parseRecurrence('every other week')).toEqual({ unit: 'week', count: 2 });
    expect(parseRecurrence('Every Month')).toEqual({ unit: 'month', count: 1 });
    expect(parseRecurrence('daily')).toEqual({ unit: 'day', count: 1 });
    expect(parseRecurrence('tomorrow at 9')).toBeNull();
    expect(parseRecurrence('every monday')).toBeNull();
  });

  it('moves to the first occurrence after today, keeping the time of day', () => {
    expect(nextOccurrence(due('2026-03-10', 'every day'), now).date).toBe('2026-03-11');
    expect(nextOccurrence(due('2026-03-01', 'every day'), now).date).toBe('2026-03-11');
    expect(nextOccurrence(due('2026-03-09', 'every 2 weeks'), now).date).toBe('2026-03-23');
    const timed = nextOccurrence(due('2026-03-10', 'every week', '2026-03-10T08:00:00Z'), now);
    expect(timed).toMatchObject({ date: '2026-03-17', datetime: '2026-03-17T08:00:00Z' });
  });

  it('clamps a monthly rule to the end of a shorter month (Jan 31 → Feb 28)', () => {
    const january = new Date('2026-01-31T12:00:00Z');
    const february = nextOccurrence(due('2026-01-31', 'every month'), january);
    expect(february.date).toBe('2026-02-28');
    expect(nextOccurrence(due('2026-01-31', 'every year'), january).date).toBe('2027-01-31');
  });
});
