import { useState } from 'react';

export interface Sending {
  /** True from the click until a failure: on success the control's owner moves on. */
  sending: boolean;
  /** Why the last try failed, for a role="alert" next to the button. */
  problem: string | undefined;
  send: () => void;
}

/**
 * One button's request that is not retried behind anyone's back (consent, disconnecting,
 * deleting the account): the button waits while it is on its way, a failure says why and
 * gives the button back.
 */
export function useSending(
  action: () => Promise<void>,
  failure: (error: unknown) => string,
): Sending {
  const [sending, setSending] = useState(false);
  const [problem, setProblem] = useState<string | undefined>(undefined);

  async function run() {
    setSending(true);
    setProblem(undefined);
    try {
      await action();
    } catch (error) {
      setProblem(failure(error));
      setSending(false);
    }
  }

  return { sending, problem, send: () => void run() };
}

/** "Couldn't <what>. <the error's message>" */
export const failureSaying =
  (what: string) =>
  (error: unknown): string =>
    `Couldn't ${what}. ${error instanceof Error ? error.message : ''}`.trim();
