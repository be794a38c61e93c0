import { Injectable } from '@nestjs/common';
import { Redis } from 'ioredis';
import { todoistKeys } from '../todoist/todoist-keys.js';

/**
 * Far longer than a feedback event is redelivered (about 17 minutes, then dead-lettered):
 * entries older than this are pruned on the next write, and the key expires this long after
 * the user's last done.
 */
export const CLOSE_INTENT_TTL_SECONDS = 24 * 60 * 60;

interface StoredIntent {
  completionKey: string;
  /** Epoch ms when it was kept. */
  at: number;
}

/**
 * The completion key each done event closes with, kept before its close is sent. The close's
 * `X-Request-Id` is derived from the completion, and the key from the snapshot; a sync after
 * the close moves a recurring task's snapshot to its next date, so a redelivery after a crash
 * between the close and its record would key (and send) a new close — the next date closed
 * too. Reading the key back keeps the redelivery on the completion it first asked for.
 *
 * `oo:integrations:todoist:{<userId>}:close-intents`: a hash of feedback event id →
 * `{completionKey, at}` — ids and due dates only, no task text; erased with the user's other
 * keys (`todoistKeys.all`).
 */
@Injectable()
export class CloseIntents {
  constructor(private readonly redis: Redis) {}

  /** The completion key an earlier delivery of `eventId` kept; undefined on its first. */
  async find(userId: string, eventId: string): Promise<string | undefined> {
    return parse(await this.redis.hget(todoistKeys.closeIntents(userId), eventId))?.completionKey;
  }

  /**
   * Keeps `completionKey` for `eventId` unless a copy of the event kept one first; answers
   * the key kept, which is the one to close with.
   */
  async keep(userId: string, eventId: string, completionKey: string): Promise<string> {
    const key = todoistKeys.closeIntents(userId);
    const now = Date.now();
    const intent: StoredIntent = { completionKey, at: now };
    const [[, set]] = (await this.redis
      .multi()
      .hsetnx(key, eventId, JSON.stringify(intent))
      .expire(key, CLOSE_INTENT_TTL_SECONDS)
      .exec()) as [[Error | null, number], [Error | null, number]];
    await this.prune(key, now);
    if (set === 1) return completionKey;
    return (await this.find(userId, eventId)) ?? completionKey;
  }

  /** Drops entries no redelivery can still ask for, so the hash holds about a day of dones. */
  private async prune(key: string, now: number): Promise<void> {
    const entries = await this.redis.hgetall(key);
    const expired = Object.entries(entries)
      .filter(([, raw]) => (parse(raw)?.at ?? 0) < now - CLOSE_INTENT_TTL_SECONDS * 1000)
      .map(([eventId]) => eventId);
    if (expired.length > 0) await this.redis.hdel(key, ...expired);
  }
}

function parse(raw: string | null | undefined): StoredIntent | undefined {
  if (!raw) return undefined;
  try {
    const intent = JSON.parse(raw) as Partial<StoredIntent> | null;
    return typeof intent?.completionKey === 'string' && typeof intent.at === 'number'
      ? (intent as StoredIntent)
      : undefined;
  } catch {
    return undefined;
  }
}
