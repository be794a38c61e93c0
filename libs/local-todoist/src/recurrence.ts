import type { Due } from './types.js';

interface Interval {
  unit: 'day' | 'week' | 'month' | 'year';
  count: number;
}

const UNIT_ALIASES: Record<string, Interval['unit']> = {
  day: 'day',
  days: 'day',
  week: 'week',
  weeks: 'week',
  month: 'month',
  months: 'month',
  year: 'year',
  years: 'year',
};

/**
 * The rule of a due string, for the simple recurrences Todoist users type most
 * (`every day`, `every 2 weeks`, `daily`, `every! week`); null when it does not recur
 * or the rule is beyond this stand-in.
 */
export function parseRecurrence(dueString: string): Interval | null {
  const text = dueString.trim().toLowerCase();
  const shorthand: Record<string, Interval> = {
    daily: { unit: 'day', count: 1 },
    weekly: { unit: 'week', count: 1 },
    monthly: { unit: 'month', count: 1 },
    yearly: { unit: 'year', count: 1 },
  };
  if (shorthand[text]) return shorthand[text];
  const match = /^every!?\s+(?:(\d+)\s+|other\s+)?([a-z]+)/.exec(text);
  if (!match) return null;
  const unit = UNIT_ALIASES[match[2] ?? ''];
  if (!unit) return null;
  const count = match[1] ? Number(match[1]) : text.includes('other') ? 2 : 1;
  return { unit, count };
}

export function isRecurringString(dueString: string): boolean {
  return parseRecurrence(dueString) !== null;
}

function addInterval(date: Date, { unit, count }: Interval, anchorDay: number): Date {
  const next = new Date(date);
  if (unit === 'day') next.setUTCDate(next.getUTCDate() + count);
  if (unit === 'week') next.setUTCDate(next.getUTCDate() + 7 * count);
  if (unit === 'month' || unit === 'year') {
    // Day clamped to the month's last (Jan 31 + 1 month = Feb 28/29), as a calendar does.
    const months = unit === 'month' ? count : 12 * count;
    const target = new Date(Date.UTC(next.getUTCFullYear(), next.getUTCMonth() + months, 1));
    const lastDay = new Date(
      Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0),
    ).getUTCDate();
    target.setUTCDate(Math.min(anchorDay, lastDay));
    return target;
  }
  return next;
}

/**
 * The due date after completing a recurring task: its rule applied until the date lies
 * after today, time of day kept (Todoist's "every" — the next occurrence, never one in the past).
 */
export function nextOccurrence(due: Due, now: Date): Due {
  const interval = parseRecurrence(due.string);
  if (!interval) return due;
  const today = now.toISOString().slice(0, 10);
  let date = new Date(`${due.date}T00:00:00Z`);
  // Monthly rules count from the due date's day of month, clamped in shorter months.
  const anchorDay = date.getUTCDate();
  const timePart = due.datetime ? due.datetime.slice(10) : null;
  do date = addInterval(date, interval, anchorDay);
  while (date.toISOString().slice(0, 10) <= today);
  const nextDate = date.toISOString().slice(0, 10);
  return { ...due, date: nextDate, datetime: timePart === null ? null : nextDate + timePart };
}
