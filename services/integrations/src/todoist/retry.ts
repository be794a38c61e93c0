import { setTimeout as sleep } from 'node:timers/promises';
import { TodoistUnavailable } from './todoist-errors.js';

export interface RetryOptions {
  /** Tries in all, the first included. */
  attempts: number;
  /** The cap of the first back-off; it doubles with every retry up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { attempts: 3, baseDelayMs: 250, maxDelayMs: 4000 };

/**
 * "Full jitter": a uniformly random wait between 0 and the exponential cap, so instances that
 * failed together do not come back together.
 */
export function fullJitterDelayMs(
  retry: number,
  options: RetryOptions,
  random: () => number = Math.random,
): number {
  const cap = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (retry - 1));
  return Math.floor(random() * cap);
}

export interface RetryHooks {
  random?: () => number;
  wait?: (ms: number) => Promise<unknown>;
}

/**
 * Runs `call` again after a jittered back-off while it fails with `TodoistUnavailable` (5xx,
 * timeout, network), at most `attempts` times in all. Anything else — 401, 429, other
 * 4xx — is passed on at once: retrying a refused token or a rate limit only makes it worse.
 */
export async function withRetries<T>(
  call: () => Promise<T>,
  options: RetryOptions = DEFAULT_RETRY,
  { random = Math.random, wait = sleep }: RetryHooks = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof TodoistUnavailable) || attempt >= options.attempts) throw error;
      await wait(fullJitterDelayMs(attempt, options, random));
    }
  }
}
