/** A due date in words relative to today, and the machine-readable value for <time>. */
export interface DueText {
  text: string;
  dateTime: string;
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/**
 * "Due today", "Due tomorrow at 09:00", "Overdue since 2 Dec", "Due 14 Dec" — in the browser's
 * zone. `due` is an all-day date (YYYY-MM-DD), a date-time with an offset (a fixed instant), or
 * one without (floating: read on the local clock, which is what `new Date` does with it).
 */
export function describeDue(due: string | null, now: Date = new Date()): DueText | undefined {
  if (!due) return undefined;
  const dateOnly = DATE_ONLY.exec(due);
  if (dateOnly) {
    const [, year, month, day] = dateOnly;
    const date = new Date(Number(year), Number(month) - 1, Number(day));
    return { text: allDayText(date, now), dateTime: due };
  }
  const instant = new Date(due);
  if (Number.isNaN(instant.getTime())) return undefined;
  return { text: timedText(instant, now), dateTime: due };
}

function allDayText(date: Date, now: Date): string {
  const days = calendarDaysBetween(now, date);
  if (days < 0)
    return days === -1 ? 'Overdue since yesterday' : `Overdue since ${dayName(date, now)}`;
  if (days === 0) return 'Due today';
  if (days === 1) return 'Due tomorrow';
  return `Due ${dayName(date, now)}`;
}

function timedText(instant: Date, now: Date): string {
  const days = calendarDaysBetween(now, instant);
  const time = clockTime(instant);
  if (instant.getTime() < now.getTime()) {
    if (days === 0) return `Overdue since ${time}`;
    if (days === -1) return `Overdue since yesterday, ${time}`;
    return `Overdue since ${dayName(instant, now)}, ${time}`;
  }
  if (days === 0) return `Due today at ${time}`;
  if (days === 1) return `Due tomorrow at ${time}`;
  return `Due ${dayName(instant, now)} at ${time}`;
}

/** Whole local calendar days from `from` to `to` (DST-safe: counts dates, not hours). */
function calendarDaysBetween(from: Date, to: Date): number {
  const a = Date.UTC(from.getFullYear(), from.getMonth(), from.getDate());
  const b = Date.UTC(to.getFullYear(), to.getMonth(), to.getDate());
  return Math.round((b - a) / DAY_MS);
}

/** "2 Dec", with the year only when it is not this year's. */
function dayName(date: Date, now: Date): string {
  return new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'short',
    ...(date.getFullYear() === now.getFullYear() ? {} : { year: 'numeric' }),
  }).format(date);
}

/** In the person's own 12- or 24-hour habit. */
const clockTime = (date: Date): string =>
  new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' }).format(date);
