import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Redis } from 'ioredis';

const DAY_MS = 86_400_000;
/** A task pushed is not pushed again for this long. */
export const SAME_TASK_WINDOW_MS = DAY_MS;
/** A task shown on the web this recently is one the user has just seen: not pushed. */
export const WEB_SHOWN_WINDOW_MS = 3 * 3_600_000;
/**
 * Longer than any decision and its sends take (three requests of up to PUSH_REQUEST_TIMEOUT_MS,
 * back-off, a short Retry-After); a crashed holder frees the user by then. Should a holder
 * outlive it anyway, the atomic claim still allows one push.
 */
const DECIDING_LOCK_MS = 5 * 60_000;

/**
 * One user's push state, all under the user's hash tag (one Redis Cluster slot, so one script
 * updates it atomically). WARNING: stored data; renaming a key forgets who was pushed when.
 */
const keys = (userId: string) => {
  const base = `oo:notifier:{${userId}}`;
  return {
    /** ms of the last push a device accepted */
    last: `${base}:last`,
    /** `<local date>:<pushes that day>` */
    day: `${base}:day`,
    /** task id → ms pushed (sorted set) */
    pushed: `${base}:pushed`,
    /** task id → ms shown on the web (sorted set) */
    webShown: `${base}:web`,
    deciding: `${base}:deciding`,
  };
};

/**
 * Takes one push slot if every rule allows it, all or nothing: the minimum interval since the
 * last push, the daily cap on the user's calendar day, and the task not pushed in 24 h.
 * KEYS: last, day, pushed. ARGV: now ms, min interval ms, cap, local date, task id, window ms.
 * Answers {'ok', previous last or ''} or {refusal, detail}.
 */
const CLAIM = `
local now = tonumber(ARGV[1])
local last = redis.call('GET', KEYS[1])
if last and math.abs(now - tonumber(last)) < tonumber(ARGV[2]) then return {'interval', last} end
local count = 0
local day = redis.call('GET', KEYS[2])
if day then
  local date, n = string.match(day, '^(.+):(%d+)$')
  if date == ARGV[4] then count = tonumber(n) end
end
if count >= tonumber(ARGV[3]) then return {'cap', tostring(count)} end
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - tonumber(ARGV[6]))
if redis.call('ZSCORE', KEYS[3], ARGV[5]) then return {'task', ARGV[5]} end
redis.call('SET', KEYS[1], ARGV[1], 'PX', 2 * 86400000)
redis.call('SET', KEYS[2], ARGV[4] .. ':' .. (count + 1), 'PX', 2 * 86400000)
redis.call('ZADD', KEYS[3], now, ARGV[5])
redis.call('PEXPIRE', KEYS[3], ARGV[6])
return {'ok', last or ''}
`;

/**
 * Gives a claim back when no device accepted the push: what it set is undone where nothing
 * newer replaced it. KEYS: last, day, pushed. ARGV: claim ms, previous last, local date, task.
 */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  if ARGV[2] == '' then redis.call('DEL', KEYS[1]) else redis.call('SET', KEYS[1], ARGV[2], 'PX', 2 * 86400000) end
end
local day = redis.call('GET', KEYS[2])
if day then
  local date, n = string.match(day, '^(.+):(%d+)$')
  if date == ARGV[3] and tonumber(n) > 0 then
    redis.call('SET', KEYS[2], date .. ':' .. (tonumber(n) - 1), 'KEEPTTL')
  end
end
if redis.call('ZSCORE', KEYS[3], ARGV[4]) == ARGV[1] then redis.call('ZREM', KEYS[3], ARGV[4]) end
return 1
`;

const UNLOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

interface ClaimCommands {
  claimPush(numKeys: number, ...args: Array<string | number>): Promise<[string, string]>;
  releasePush(numKeys: number, ...args: Array<string | number>): Promise<number>;
  unlockDeciding(numKeys: number, ...args: string[]): Promise<number>;
}

export interface PushRules {
  minIntervalMs: number;
  dailyCap: number;
}

export type ClaimRefusal = 'interval' | 'cap' | 'task';

/** A push slot taken: what `release` needs to give it back. */
export interface PushClaim {
  userId: string;
  at: number;
  previousLast: string;
  localDate: string;
  taskId: string;
}

export type ClaimResult = { ok: true; claim: PushClaim } | { ok: false; refusal: ClaimRefusal };

/** What the rules say before deciding, read without taking anything. */
export interface PushState {
  lastSentAt: number | undefined;
  sentToday: number;
}

/**
 * The push rules' state in Redis, shared by every notifier instance. Claims are atomic (Lua),
 * so two instances, or one event delivered three times, cannot both take the last slot.
 */
@Injectable()
export class PushClaims {
  private readonly commands: ClaimCommands;

  constructor(@Inject(Redis) private readonly redis: Redis) {
    redis.defineCommand('claimPush', { lua: CLAIM });
    redis.defineCommand('releasePush', { lua: RELEASE });
    redis.defineCommand('unlockDeciding', { lua: UNLOCK });
    this.commands = redis as unknown as ClaimCommands;
  }

  async state(userId: string, localDate: string): Promise<PushState> {
    const k = keys(userId);
    const [last, day] = await this.redis.mget(k.last, k.day);
    const [date, count] = day?.split(':') ?? [];
    return {
      lastSentAt: last ? Number(last) : undefined,
      sentToday: date === localDate ? Number(count) : 0,
    };
  }

  /** Tasks not to push now: pushed in the last 24 h, or shown on the web just now. */
  async excludedTasks(userId: string, now: number): Promise<string[]> {
    const k = keys(userId);
    const [pushed, shown] = await Promise.all([
      this.redis.zrangebyscore(k.pushed, now - SAME_TASK_WINDOW_MS, '+inf'),
      this.redis.zrangebyscore(k.webShown, now - WEB_SHOWN_WINDOW_MS, '+inf'),
    ]);
    return [...new Set([...pushed, ...shown])];
  }

  async claim(
    userId: string,
    taskId: string,
    now: number,
    localDate: string,
    rules: PushRules,
  ): Promise<ClaimResult> {
    const k = keys(userId);
    const [verdict, detail] = await this.commands.claimPush(
      3,
      k.last,
      k.day,
      k.pushed,
      now,
      rules.minIntervalMs,
      rules.dailyCap,
      localDate,
      taskId,
      SAME_TASK_WINDOW_MS,
    );
    if (verdict !== 'ok') return { ok: false, refusal: verdict as ClaimRefusal };
    return { ok: true, claim: { userId, at: now, previousLast: detail, localDate, taskId } };
  }

  async release(claim: PushClaim): Promise<void> {
    const k = keys(claim.userId);
    await this.commands.releasePush(
      3,
      k.last,
      k.day,
      k.pushed,
      claim.at,
      claim.previousLast,
      claim.localDate,
      claim.taskId,
    );
  }

  /** A tip the user was shown (`tip.served`): a web one is not pushed soon after. */
  async recordShown(userId: string, channel: 'web' | 'push', taskId: string, at: number) {
    const k = keys(userId);
    const key = channel === 'web' ? k.webShown : k.pushed;
    const window = channel === 'web' ? WEB_SHOWN_WINDOW_MS : SAME_TASK_WINDOW_MS;
    // GT: a late event never moves a task's time back.
    await this.redis
      .multi()
      .zadd(key, 'GT', at, taskId)
      .zremrangebyscore(key, '-inf', at - window)
      .pexpire(key, window)
      .exec();
  }

  /**
   * One decision per user at a time across instances (a token only its holder can release):
   * a second trigger while one is under way has nothing to add. Undefined when it is taken.
   */
  async lockDeciding(userId: string): Promise<string | undefined> {
    const token = randomUUID();
    const set = await this.redis.set(keys(userId).deciding, token, 'PX', DECIDING_LOCK_MS, 'NX');
    return set === 'OK' ? token : undefined;
  }

  async unlockDeciding(userId: string, token: string): Promise<void> {
    await this.commands.unlockDeciding(1, keys(userId).deciding, token);
  }

  async purge(userId: string): Promise<void> {
    await this.redis.del(...Object.values(keys(userId)));
  }
}
