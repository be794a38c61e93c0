/**
 * The user's clock, for scheduling pushes: local dates, wall times and quiet hours in an IANA
 * time zone, with nothing but `Intl` and `Date`.
 *
 * A wall time that a DST change skips (a spring-forward gap) resolves to the first instant after
 * the gap; one that it repeats (a fall-back overlap) to its first occurrence, unless the caller
 * asks for the next one after an instant that has already passed it (`quietEndAfter`,
 * `nextLocalMidnight`).
 *
 * An unknown time zone is read as UTC instead of throwing: the profile checks the name on the way
 * in, and a scheduler that crashed on one bad copy would stop every user's pushes.
 */

/** A wall-clock time "HH:MM", 24 h (`ClockTime` in schemas/common/defs.json). */
export type ClockTime = string;

/** No push from `start` until `end` on the user's clock; `end` before `start` crosses midnight. */
export interface QuietHours {
  start: ClockTime;
  end: ClockTime;
}

const SECOND_MS = 1_000;
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const CLOCK_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)$/;

// Building an Intl formatter costs far more than using one, and users share a few hundred zones
// at most. Unknown names are cached too (as UTC), so the map is keyed by untrusted strings: the
// cap keeps a stream of distinct bad names from growing it without end.
const formatters = new Map<string, Intl.DateTimeFormat>();
const MAX_CACHED_ZONES = 1_000;

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (format === undefined) {
    format = createFormatter(timeZone);
    if (formatters.size >= MAX_CACHED_ZONES) formatters.clear();
    formatters.set(timeZone, format);
  }
  return format;
}

function createFormatter(timeZone: string): Intl.DateTimeFormat {
  const options: Intl.DateTimeFormatOptions = {
    calendar: 'gregory',
    numberingSystem: 'latn',
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  };
  try {
    return new Intl.DateTimeFormat('en-US', { ...options, timeZone });
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return new Intl.DateTimeFormat('en-US', { ...options, timeZone: 'UTC' });
  }
}

/**
 * The wall clock at an instant, written as the UTC instant that shows the same date and time
 * ("local epoch" milliseconds, whole seconds). All wall-time arithmetic below is on these.
 */
function localEpoch(epochMs: number, timeZone: string): number {
  let year = 1970;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  for (const { type, value } of formatterFor(timeZone).formatToParts(epochMs)) {
    if (type === 'year') year = Number(value);
    else if (type === 'month') month = Number(value);
    else if (type === 'day') day = Number(value);
    else if (type === 'hour') hour = Number(value);
    else if (type === 'minute') minute = Number(value);
    else if (type === 'second') second = Number(value);
  }
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

/** The zone's offset from UTC at an instant, in ms (Berlin in summer: +7,200,000). */
function offsetAt(epochMs: number, timeZone: string): number {
  return localEpoch(epochMs, timeZone) - Math.floor(epochMs / SECOND_MS) * SECOND_MS;
}

/**
 * Every instant a local wall time may resolve to, earliest first: one; two when a fall-back
 * change repeats it; or, when a spring-forward change skips it, the first instant after the gap.
 * The offsets a day either side bound those in force at the wall time (as Temporal does).
 */
function resolutions(wall: number, timeZone: string): [number, ...number[]] {
  const before = offsetAt(wall - DAY_MS, timeZone);
  const after = offsetAt(wall + DAY_MS, timeZone);
  const found = [...new Set([before, after])]
    .map((offset) => wall - offset)
    .filter((instant) => offsetAt(instant, timeZone) === wall - instant)
    .sort((a, b) => a - b);
  const [first, ...rest] = found;
  if (first !== undefined) return [first, ...rest];
  const earliest = Math.min(wall - before, wall - after);
  const latest = Math.max(wall - before, wall - after);
  return [endOfGap(wall, earliest, latest, timeZone)];
}

/**
 * The first instant in (`low`, `high`] whose wall clock reads `wall` or later, given that `low`
 * reads earlier: where the gap that skips `wall` ends. Zone transitions fall on whole seconds.
 */
function endOfGap(wall: number, low: number, high: number, timeZone: string): number {
  let below = Math.floor(low / SECOND_MS);
  let above = Math.ceil(high / SECOND_MS);
  while (above - below > 1) {
    const middle = Math.floor((below + above) / 2);
    if (localEpoch(middle * SECOND_MS, timeZone) >= wall) above = middle;
    else below = middle;
  }
  return above * SECOND_MS;
}

/** The earliest resolution of a wall time later than `after` (the last one if none is). */
function nextResolution(wall: number, timeZone: string, after: number): Date {
  const found = resolutions(wall, timeZone);
  return new Date(found.find((instant) => instant > after) ?? Math.max(...found));
}

function clockMinutes(time: ClockTime): number {
  const match = CLOCK_PATTERN.exec(time);
  if (!match) throw new RangeError(`clock time '${time}' is not HH:MM (24 h)`);
  return Number(match[1]) * 60 + Number(match[2]);
}

function startOfLocalDay(local: number): number {
  return local - modulo(local, DAY_MS);
}

function minuteOfDay(local: number): number {
  return Math.floor(modulo(local, DAY_MS) / MINUTE_MS);
}

function modulo(value: number, divisor: number): number {
  return ((value % divisor) + divisor) % divisor;
}

function isQuietMinute(minute: number, quiet: QuietHours): boolean {
  const start = clockMinutes(quiet.start);
  const end = clockMinutes(quiet.end);
  if (start < end) return start <= minute && minute < end;
  if (start > end) return start <= minute || minute < end;
  return false;
}

/**
 * The instant the user's clock reads `time` on `date` ("YYYY-MM-DD"). A time skipped by a
 * spring-forward change resolves to the first instant after the gap (Berlin, 2026-03-29 02:30 →
 * 03:00 CEST); one repeated by a fall-back change to its first occurrence (Berlin, 2026-10-25
 * 02:30 → 02:30 CEST). Throws a RangeError when `date` or `time` is malformed.
 */
export function zonedInstant(date: string, time: ClockTime, timeZone: string): Date {
  const match = DATE_PATTERN.exec(date);
  const day = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : NaN;
  if (!match || new Date(day).toISOString().slice(0, 10) !== date) {
    throw new RangeError(`date '${date}' is not a calendar date YYYY-MM-DD`);
  }
  return new Date(resolutions(day + clockMinutes(time) * MINUTE_MS, timeZone)[0]);
}

/** The user's calendar date ("YYYY-MM-DD") at an instant. */
export function localDate(instant: Date, timeZone: string): string {
  return new Date(localEpoch(instant.getTime(), timeZone)).toISOString().slice(0, 10);
}

/**
 * The first instant of the user's next calendar day. Where a DST change skips midnight
 * (America/Santiago in September) that is the end of the gap, 01:00 local.
 */
export function nextLocalMidnight(instant: Date, timeZone: string): Date {
  const local = localEpoch(instant.getTime(), timeZone);
  return nextResolution(startOfLocalDay(local) + DAY_MS, timeZone, instant.getTime());
}

/**
 * Whether the user's wall clock at `instant` is within [start, end). `start` equal to `end`
 * means never quiet. Throws a RangeError when either is not "HH:MM".
 */
export function isQuietAt(instant: Date, quiet: QuietHours, timeZone: string): boolean {
  return isQuietMinute(minuteOfDay(localEpoch(instant.getTime(), timeZone)), quiet);
}

/**
 * When `instant` is in quiet hours, the instant that quiet period ends: the next time the user's
 * clock reads `end`, on today's date or, in the evening part of a period that crosses midnight,
 * tomorrow's (resolved as `zonedInstant` does). Outside quiet hours, `instant` itself.
 *
 * Quiet hours follow the wall clock, so when a fall-back change repeats the end of a period
 * (22:00–02:30 in Berlin on 2026-10-25), 02:00–02:30 CET is quiet again and ends at the second
 * 02:30.
 */
export function quietEndAfter(instant: Date, quiet: QuietHours, timeZone: string): Date {
  const local = localEpoch(instant.getTime(), timeZone);
  const minute = minuteOfDay(local);
  if (!isQuietMinute(minute, quiet)) return instant;
  const end = clockMinutes(quiet.end);
  const endDay = startOfLocalDay(local) + (minute < end ? 0 : DAY_MS);
  return nextResolution(endDay + end * MINUTE_MS, timeZone, instant.getTime());
}
