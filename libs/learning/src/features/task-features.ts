import type { BaseFeatures } from './feature-sets.js';

/** The parts of a synced task that features are made of (`signals.task.synced` tasks). */
export interface TaskFacts {
  /** 1 (normal) … 4 (urgent). */
  priority: number;
  /** `YYYY-MM-DD` (all-day), an ISO date-time, or null. */
  due: string | null;
  /** ISO date-time the task was created. */
  addedAt: string;
}

/** When and where the decision is made: the user's clock decides hour and "overdue". */
export interface DecisionMoment {
  now: Date;
  /** IANA time zone of the user, e.g. `Europe/Berlin`. */
  timeZone: string;
}

const DAY_MS = 86_400_000;
const MAX_AGE_DAYS = 90;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

// Building an Intl formatter costs far more than using one; users share a handful of zones.
const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * The last moment's clock: a decision asks it once per candidate with the same moment, and
 * `formatToParts` was ~4 % of the recommender's CPU per decision (50 candidates).
 */
let lastClock: { timeZone: string; at: number; clock: { date: string; hours: number } } | undefined;

function localClock(moment: DecisionMoment): { date: string; hours: number } {
  const at = moment.now.getTime();
  if (lastClock?.at === at && lastClock.timeZone === moment.timeZone) return lastClock.clock;
  const clock = readClock(moment);
  lastClock = { timeZone: moment.timeZone, at, clock };
  return clock;
}

function readClock(moment: DecisionMoment): { date: string; hours: number } {
  let format = formatters.get(moment.timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone: moment.timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(moment.timeZone, format);
  }
  const parts: Record<string, string> = {};
  for (const part of format.formatToParts(moment.now)) parts[part.type] = part.value;
  return {
    date: `${parts['year']}-${parts['month']}-${parts['day']}`,
    hours: Number(parts['hour']) + Number(parts['minute']) / 60,
  };
}

/**
 * Base features of one task at one moment. An all-day task is overdue from the day after its
 * due date in the user's time zone; a timed task from its due instant.
 */
export function taskFeatures(task: TaskFacts, moment: DecisionMoment): BaseFeatures {
  const clock = localClock(moment);
  const angle = (2 * Math.PI * clock.hours) / 24;
  let isOverdue = false;
  if (task.due !== null) {
    isOverdue = DATE_ONLY.test(task.due)
      ? task.due < clock.date
      : Date.parse(task.due) < moment.now.getTime();
  }
  const ageDays = Math.max(0, (moment.now.getTime() - Date.parse(task.addedAt)) / DAY_MS);
  const priority = Math.min(4, Math.max(1, task.priority));
  return {
    hour_sin: Math.sin(angle),
    hour_cos: Math.cos(angle),
    is_overdue: isOverdue ? 1 : 0,
    task_age: Math.min(ageDays, MAX_AGE_DAYS) / MAX_AGE_DAYS,
    priority: (priority - 1) / 3,
  };
}
