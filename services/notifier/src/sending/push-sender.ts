import { setTimeout as sleep } from 'node:timers/promises';
import webpush from 'web-push';
import type { Urgency } from './push-payload.js';
import type { VapidSigner } from './vapid-signer.js';

/** One device: where to send, and the keys to encrypt for it. */
export interface PushTarget {
  endpoint: string;
  p256dh: string;
  auth: string;
}

export interface PushOptions {
  ttlSeconds: number;
  urgency: Urgency;
  topic: string;
}

/** What one request came to. `retry`: a failure that is tried again. */
export type AttemptOutcome = 'sent' | 'gone' | 'failed' | 'rate_limited' | 'rejected' | 'retry';
export type FinalOutcome = Exclude<AttemptOutcome, 'retry'>;

export interface Attempt {
  attempt: number;
  outcome: AttemptOutcome;
  statusCode?: number;
  detail?: string;
}

export interface Delivery {
  outcome: FinalOutcome;
  statusCode?: number;
  attempts: number;
  /** rate_limited: not before this (the push service's Retry-After). */
  retryAt?: Date;
  detail?: string;
}

export interface RetryPolicy {
  /** Requests per push at most (the first and its retries). */
  maxAttempts: number;
  /** Full jitter: a retry waits a random time up to base × 2^(n-1). */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A 429 asking to wait longer than this is not waited for in the request: the push gives up. */
  maxRetryAfterWaitMs: number;
  timeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 3,
  baseDelayMs: 500,
  maxDelayMs: 4_000,
  maxRetryAfterWaitMs: 10_000,
  timeoutMs: 10_000,
};

/** When a 429 carries no usable Retry-After. */
const DEFAULT_RETRY_AFTER_S = 60;

/**
 * Sends one push to one device (RFC 8030): encrypted (RFC 8291, `web-push`), signed (VAPID),
 * with TTL, Urgency and Topic; 5xx and timeouts retried with jittered back-off, a short
 * Retry-After waited for. Requests go through `fetch`: web-push's own sender only speaks https.
 */
export class PushSender {
  constructor(
    private readonly vapid: VapidSigner,
    private readonly policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  ) {}

  async send(
    target: PushTarget,
    payload: string,
    options: PushOptions,
    onAttempt: (attempt: Attempt) => Promise<void> | void,
  ): Promise<Delivery> {
    const request = this.request(target, payload, options);
    for (let attempt = 1; ; attempt++) {
      const answer = await this.post(target.endpoint, request);
      const last = attempt >= this.policy.maxAttempts;
      const verdict = classify(answer);
      if (verdict.outcome === 'rate_limited') {
        const waitMs = retryAfterMs(answer.retryAfter);
        if (!last && waitMs <= this.policy.maxRetryAfterWaitMs) {
          await onAttempt({ attempt, outcome: 'retry', ...described(answer) });
          await sleep(waitMs);
          continue;
        }
        await onAttempt({ attempt, outcome: 'rate_limited', ...described(answer) });
        return {
          outcome: 'rate_limited',
          attempts: attempt,
          retryAt: new Date(Date.now() + waitMs),
          ...described(answer),
        };
      }
      if (verdict.outcome === 'failed' && !last) {
        await onAttempt({ attempt, outcome: 'retry', ...described(answer) });
        await sleep(this.backoffMs(attempt));
        continue;
      }
      await onAttempt({ attempt, outcome: verdict.outcome, ...described(answer) });
      return { outcome: verdict.outcome, attempts: attempt, ...described(answer) };
    }
  }

  private request(target: PushTarget, payload: string, options: PushOptions) {
    const details = webpush.generateRequestDetails(
      { endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } },
      payload,
      {
        TTL: options.ttlSeconds,
        urgency: options.urgency,
        topic: options.topic,
        contentEncoding: 'aes128gcm',
        // No vapidDetails: signed here, once per push service rather than per push.
        headers: { Authorization: this.vapid.authorization(target.endpoint) },
      },
    );
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(details.headers)) {
      // fetch computes the length itself.
      if (name.toLowerCase() !== 'content-length') headers[name] = String(value);
    }
    return { headers, body: details.body };
  }

  private async post(
    endpoint: string,
    request: { headers: Record<string, string>; body: Buffer },
  ): Promise<Answer> {
    try {
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: request.headers,
        body: request.body,
        signal: AbortSignal.timeout(this.policy.timeoutMs),
      });
      // The body is short text at most (a reason); read it so the connection is reused.
      const text = (await response.text()).slice(0, 200);
      return {
        status: response.status,
        retryAfter: response.headers.get('retry-after') ?? undefined,
        text,
      };
    } catch (error) {
      const name = (error as Error).name;
      return {
        error: name === 'TimeoutError' ? 'timeout' : `network: ${(error as Error).message}`,
      };
    }
  }

  private backoffMs(attempt: number): number {
    const ceiling = Math.min(this.policy.maxDelayMs, this.policy.baseDelayMs * 2 ** (attempt - 1));
    return Math.random() * ceiling;
  }
}

type Answer =
  | { status: number; retryAfter: string | undefined; text: string; error?: undefined }
  | { error: string; status?: undefined; retryAfter?: undefined; text?: undefined };

function classify(answer: Answer): { outcome: FinalOutcome } {
  const { status } = answer;
  if (status === undefined) return { outcome: 'failed' };
  if (status >= 200 && status < 300) return { outcome: 'sent' };
  if (status === 404 || status === 410) return { outcome: 'gone' };
  if (status === 429) return { outcome: 'rate_limited' };
  if (status >= 500) return { outcome: 'failed' };
  // 400, 401, 403, 413 and the rest of 4xx: what we sent is wrong, and would be again.
  return { outcome: 'rejected' };
}

function described(answer: Answer): { statusCode?: number; detail?: string } {
  if (answer.status === undefined) return { detail: answer.error };
  return {
    statusCode: answer.status,
    ...(answer.text ? { detail: answer.text } : {}),
  };
}

/** Retry-After (RFC 9110): delay-seconds or an HTTP date. */
function retryAfterMs(header: string | undefined): number {
  if (header && /^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const date = header ? Date.parse(header) : NaN;
  if (!Number.isNaN(date)) return Math.max(0, date - Date.now());
  return DEFAULT_RETRY_AFTER_S * 1000;
}
