import type { ScriptedAnswer } from './types.js';

/** What a 429 says when the script gives no `retryAfter`: short, so tests stay fast. */
const DEFAULT_RETRY_AFTER_SECONDS = 1;

export interface Answer {
  status: number;
  retryAfter?: number;
}

interface Pending extends Answer {
  subscriptionId?: string;
  remaining: number;
}

/** Answers a test scripted with `respondNext`, used up in the order they were given. */
export class ScriptedAnswers {
  private readonly pending: Pending[] = [];

  add({ subscriptionId, status, retryAfter, times = 1 }: ScriptedAnswer): void {
    if (!Number.isInteger(status) || status < 400 || status > 599)
      throw new Error(`a scripted answer is a 4xx or 5xx status, not ${status}`);
    if (!Number.isInteger(times) || times < 1)
      throw new Error(`times must be a positive integer, not ${times}`);
    if (retryAfter !== undefined && !(Number.isInteger(retryAfter) && retryAfter >= 0))
      throw new Error(`retryAfter must be a whole number of seconds, not ${retryAfter}`);
    this.pending.push({
      subscriptionId,
      status,
      retryAfter: retryAfter ?? (status === 429 ? DEFAULT_RETRY_AFTER_SECONDS : undefined),
      remaining: times,
    });
  }

  /** The answer for the next message to `subscriptionId`, if one is scripted. */
  take(subscriptionId: string): Answer | undefined {
    const index = this.pending.findIndex(
      (answer) => answer.subscriptionId === undefined || answer.subscriptionId === subscriptionId,
    );
    const answer = this.pending[index];
    if (!answer) return undefined;
    answer.remaining -= 1;
    if (answer.remaining === 0) this.pending.splice(index, 1);
    return { status: answer.status, retryAfter: answer.retryAfter };
  }

  clear(): void {
    this.pending.length = 0;
  }
}
