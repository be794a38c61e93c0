import type { LocalPushControl, PushMessage } from './types.js';

export interface WaitForMessagesOptions {
  /** Only messages to this subscription; all when absent. */
  subscriptionId?: string;
  /** How many delivered messages to wait for (at least). */
  count: number;
  timeoutMs?: number;
  intervalMs?: number;
}

/**
 * Polls `control.delivered()` until at least `count` messages are there and returns them all;
 * fails at the deadline saying how many arrived. For senders that push in the background.
 */
export async function waitForMessages(
  control: LocalPushControl,
  { subscriptionId, count, timeoutMs = 10_000, intervalMs = 25 }: WaitForMessagesOptions,
): Promise<PushMessage[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const messages = await control.delivered(subscriptionId);
    if (messages.length >= count) return messages;
    if (Date.now() >= deadline) {
      const to = subscriptionId === undefined ? '' : ` to ${subscriptionId}`;
      throw new Error(
        `waited ${timeoutMs} ms for ${count} push message(s)${to}, ${messages.length} delivered`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
