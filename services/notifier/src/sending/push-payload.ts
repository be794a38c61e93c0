import { createHash } from 'node:crypto';
import type { Tip } from '@oo/contracts';
import { localDate, zonedInstant } from '../scheduling/local-time.js';

/**
 * The service worker shows what it gets (web/build/service-worker.template.js): keep the two in
 * step. `v` lets a later worker tell an older payload from a newer one.
 */
export interface TipNotification {
  v: 1;
  tipId: string;
  title: string;
  body?: string;
  url: string;
}

/**
 * RFC 8291 allows 3993 bytes of plaintext in one record; staying at 3 KB leaves room for
 * the padding some push services add and for fields a later version adds.
 */
export const MAX_PAYLOAD_BYTES = 3072;

export type Urgency = 'very-low' | 'low' | 'normal' | 'high';

/** The tip as a notification: its title cut to fit, where its click leads. */
export function tipNotification(tip: Tip, now: Date, timeZone: string): string {
  const body = [priorityLabel(tip.priority), dueWords(tip.due, now, timeZone)]
    .filter(Boolean)
    .join(' · ');
  const notification: TipNotification = {
    v: 1,
    tipId: tip.tipId,
    title: tip.title,
    ...(body ? { body } : {}),
    url: `/?tip=${tip.tipId}`,
  };
  const encoded = JSON.stringify(notification);
  const excess = Buffer.byteLength(encoded) - MAX_PAYLOAD_BYTES;
  if (excess <= 0) return encoded;
  return JSON.stringify({ ...notification, title: cutToBytes(tip.title, excess) });
}

/** An urgent or overdue task may wake a device; a low one waits for a good moment. */
export function urgencyOf(tip: Tip, now: Date, timeZone: string): Urgency {
  if (tip.priority === 4 || dueWords(tip.due, now, timeZone) === 'Overdue') return 'high';
  return tip.priority === 1 ? 'low' : 'normal';
}

/**
 * One Topic per user (RFC 8030 §5.4: ≤ 32 base64url characters): a device that was offline
 * wakes to the latest tip only. Hashed, so the user id does not travel to push services.
 */
export function topicFor(userId: string): string {
  return createHash('sha256').update(`oo-tip:${userId}`).digest('base64url').slice(0, 32);
}

/** Shortens `title` by at least `bytes` UTF-8 bytes (plus the ellipsis), never inside a character. */
function cutToBytes(title: string, bytes: number): string {
  const characters = [...title];
  let removed = 0;
  const ellipsisBytes = Buffer.byteLength('…');
  while (characters.length > 0 && removed < bytes + ellipsisBytes) {
    removed += Buffer.byteLength(characters.pop()!);
  }
  return `${characters.join('').trimEnd()}…`;
}

/** Todoist's own words for a priority (the API's 4 is its app's "P1"), as the web app shows. */
function priorityLabel(priority: number): string | undefined {
  return { 4: 'P1', 3: 'P2', 2: 'P3' }[priority];
}

function dueWords(due: string | null, now: Date, timeZone: string): string | undefined {
  if (!due) return undefined;
  const today = localDate(now, timeZone);
  // A date alone is due all that day on the user's calendar; a time is due at that moment.
  if (/^\d{4}-\d{2}-\d{2}$/.test(due)) {
    if (due < today) return 'Overdue';
    return due === today ? 'Due today' : undefined;
  }
  const floating = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2}(\.\d+)?)?$/.exec(due);
  const at = floating ? zonedInstant(floating[1]!, floating[2]!, timeZone) : new Date(due);
  if (Number.isNaN(at.getTime())) return undefined;
  if (at < now) return 'Overdue';
  return localDate(at, timeZone) === today ? 'Due today' : undefined;
}
