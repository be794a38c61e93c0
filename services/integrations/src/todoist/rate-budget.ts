import { todoistKeys } from './todoist-keys.js';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';

/** Todoist's documented limit: 1,000 requests per 15 minutes per user (ARCHITECTURE.md §12). */
export const TODOIST_BUDGET_DEFAULTS = {
  limit: 1000,
  windowSeconds: 900,
  latencyAllowanceMs: 10_000,
} as const;

export interface RateBudgetOptions {
  /** Requests allowed in any window of `windowSeconds`. */
  limit: number;
  windowSeconds: number;
  /**
   * How late after taking its slot a request may reach Todoist: the client's timeout. The
   * budget counts a request from when it is taken, Todoist from when it arrives; requests
   * that arrive late would crowd into Todoist's window beside ones that arrive at once, so
   * each slot is held this much longer than the window.
   */
  latencyAllowanceMs: number;
}

/** Taken, or why not — a 429's wait (`blocked`) or the spent budget — and for how long. */
export type BudgetDecision =
  { ok: true } | { ok: false; reason: 'blocked' | 'spent'; retryAfterMs: number };

const lua = (name: string): string =>
  readFileSync(new URL(`./lua/${name}.lua`, import.meta.url), 'utf8');

interface BudgetCommands {
  todoistTakeRequest(
    budgetKey: string,
    blockedKey: string,
    limit: number,
    windowMs: number,
    member: string,
  ): Promise<[number, number]>;
  todoistBlockUntil(blockedKey: string, ms: number): Promise<number>;
}

/**
 * Every Todoist request of one user, from every instance of the service, is counted here
 * before it is sent (Redis, one Lua script, so the check and the count are one atomic step).
 *
 * A sliding window log, not a fixed window: a fixed window lets a full budget through at the
 * end of one window and another at the start of the next — twice the limit within 15 minutes,
 * which Todoist would answer with 429s. The log keeps one entry per request sent, so in *any*
 * span of `windowSeconds` at most `limit` requests leave, whatever Todoist's own window is.
 * It costs at most `limit` small entries per active user, expiring with the window. A slot is
 * held for the window plus the latency allowance (the client's timeout): a request taken at t
 * reaches Todoist between t and t + allowance, so two requests more than window + allowance
 * apart in our log are more than a window apart at Todoist too — measured, not assumed: the
 * integration test checks the spacing as its server saw it.
 *
 * A 429's `retry_after` blocks the user's requests until then (`block`): nothing is sent
 * before it, not even by another instance.
 *
 * WARNING: stored data; the keys are `oo:integrations:todoist:{<userId>}:…` (the user id is
 * the hash tag, so a Redis Cluster keeps both keys of a user on one slot for the script).
 */
export class TodoistRateBudget {
  private readonly commands: BudgetCommands;
  private readonly windowMs: number;

  constructor(
    private readonly redis: Redis,
    private readonly options: RateBudgetOptions = TODOIST_BUDGET_DEFAULTS,
  ) {
    if (!Number.isInteger(options.limit) || options.limit < 1)
      throw new Error('The Todoist budget needs a limit of at least one request');
    this.windowMs = Math.round(options.windowSeconds * 1000 + options.latencyAllowanceMs);
    redis.defineCommand('todoistTakeRequest', { numberOfKeys: 2, lua: lua('take-request') });
    redis.defineCommand('todoistBlockUntil', { numberOfKeys: 1, lua: lua('block-until') });
    this.commands = redis as unknown as BudgetCommands;
  }

  /** Counts one request for `userId` if the budget and any block allow it now. */
  async take(userId: string): Promise<BudgetDecision> {
    const [refusal, waitMs] = await this.commands.todoistTakeRequest(
      budgetKey(userId),
      blockedKey(userId),
      this.options.limit,
      this.windowMs,
      randomUUID(),
    );
    if (refusal === 0) return { ok: true };
    return { ok: false, reason: refusal === 1 ? 'blocked' : 'spent', retryAfterMs: waitMs };
  }

  /** No request for `userId` before `seconds` from now (never shortens a longer block). */
  async block(userId: string, seconds: number): Promise<void> {
    await this.commands.todoistBlockUntil(
      blockedKey(userId),
      Math.max(1, Math.ceil(seconds * 1000)),
    );
  }

  /**
   * Requests the user may still send now: 0 while a 429's block runs. A look, not a
   * reservation — for a job deciding whether to start a user at all.
   */
  async remaining(userId: string): Promise<number> {
    const [seconds, micros] = await this.redis.time();
    const now = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
    const [blocked, used] = await Promise.all([
      this.redis.get(blockedKey(userId)),
      this.redis.zcount(budgetKey(userId), `(${now - this.windowMs}`, '+inf'),
    ]);
    if (Number(blocked ?? 0) > now) return 0;
    return Math.max(0, this.options.limit - used);
  }

  /** Forgets the user's counts and block (disconnect, account deletion). */
  async forget(userId: string): Promise<void> {
    await this.redis.del(budgetKey(userId), blockedKey(userId));
  }
}

const budgetKey = todoistKeys.budget;
const blockedKey = todoistKeys.blocked;
