import { createHash } from 'node:crypto';
import type { SyncedTask } from '@oo/contracts';
import type { TodoistDue, TodoistTask } from './todoist-api.types.js';

/** Where a task opens in Todoist's web app (API v1 answers carry no URL of their own). */
export const TODOIST_TASK_URL = 'https://app.todoist.com/app/task/';

const MAX_TITLE = 2000;
const HAS_TIME = /T\d{2}:\d{2}/;
const UTC_OFFSET = /^UTC([+-])(\d{2}):00$/;

/**
 * One Todoist task as oO's `SyncedTask`. Todoist's API priority already runs 1 (normal) to
 * 4 (urgent), like ours — the apps show it reversed as p1–p4, so nothing is flipped here.
 * `addedAt` falls back to `syncedAt` for the rare task Todoist sends without one.
 */
export function normaliseTask(task: TodoistTask, syncedAt: string): SyncedTask {
  const normalised: SyncedTask = {
    taskId: task.id,
    title: task.content.slice(0, MAX_TITLE),
    priority: normalisePriority(task.priority),
    due: dueOf(task.due),
    dueTimezone: dueTimezoneOf(task.due),
    addedAt: task.added_at ?? syncedAt,
    isRecurring: task.due?.is_recurring ?? false,
    url: `${TODOIST_TASK_URL}${encodeURIComponent(task.id)}`,
  };
  return normalised;
}

function normalisePriority(priority: number): number {
  return Number.isInteger(priority) ? Math.min(4, Math.max(1, priority)) : 1;
}

/** A fixed instant when Todoist has one, else its date or floating date-time as written. */
function dueOf(due: TodoistDue | null): string | null {
  if (!due) return null;
  return due.datetime ?? due.date;
}

/**
 * The zone of a fixed due time, as an IANA name; null for all-day and floating tasks (read on
 * the user's own clock). Todoist may name a zone as `UTC±HH:00`, which becomes `Etc/GMT∓H`
 * (POSIX signs run the other way); a zone we cannot name is null — the due instant itself
 * still carries its offset.
 */
function dueTimezoneOf(due: TodoistDue | null): string | null {
  const zone = due?.timezone;
  if (!zone || !HAS_TIME.test(due.datetime ?? due.date)) return null;
  const offset = UTC_OFFSET.exec(zone);
  const named = offset ? etcZone(offset[1]!, Number(offset[2])) : zone;
  return isKnownZone(named) ? named : null;
}

function etcZone(sign: string, hours: number): string {
  if (hours === 0) return 'Etc/UTC';
  return `Etc/GMT${sign === '+' ? '-' : '+'}${hours}`;
}

const zones = new Map<string, boolean>();
function isKnownZone(zone: string): boolean {
  let known = zones.get(zone);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      known = /^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(zone) && zone.length <= 64;
    } catch {
      known = false;
    }
    zones.set(zone, known);
  }
  return known;
}

/**
 * A digest of a task set that changes exactly when the set does (a task added, removed or
 * changed in any field oO keeps), whatever order Todoist listed it in.
 */
export function taskSetDigest(tasks: readonly SyncedTask[]): string {
  const canonical = [...tasks]
    .sort((a, b) => (a.taskId < b.taskId ? -1 : a.taskId > b.taskId ? 1 : 0))
    .map((t) => [
      t.taskId,
      t.title,
      t.priority,
      t.due,
      t.dueTimezone ?? null,
      t.addedAt,
      t.isRecurring,
      t.url ?? null,
    ]);
  return createHash('sha256').update(JSON.stringify(canonical)).digest('base64url');
}
