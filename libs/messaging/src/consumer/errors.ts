/**
 * Throw from a handler when the event can never be handled (it is well-formed but makes no
 * sense): the message goes straight to the dead-letter stream instead of being retried.
 * Any other error is treated as transient and retried with back-off.
 */
export class InvalidEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidEventError';
  }
}

/** Kinds of dead letter, also the `reason` label of oo_dead_letters_total. */
export type DeadLetterKind = 'invalid_json' | 'invalid_schema' | 'rejected' | 'max_deliveries';

export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
}

/** Exponential back-off with ±20 % jitter, so retries of a burst do not arrive together. */
export function backoffDelay(
  deliveryCount: number,
  policy: BackoffPolicy,
  random = Math.random,
): number {
  const exponential = policy.initialMs * 2 ** Math.max(0, deliveryCount - 1);
  const capped = Math.min(policy.maxMs, exponential);
  return Math.round(capped * (0.8 + 0.4 * random()));
}
