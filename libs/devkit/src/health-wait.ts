import type { RunningProcess } from './ts-process.js';

export interface WaitForHealthOptions {
  /** Gives up after this long. */
  timeoutMs: number;
  /** Pause between two probes; 100 ms unless told. */
  intervalMs?: number;
  /** The process that serves it: waiting stops as soon as it exits. */
  process?: RunningProcess;
  /** Stops waiting (for instance because another service of the system failed). */
  signal?: AbortSignal;
}

/** Why the wait ended without a 200: the process exited, time ran out, or it was aborted. */
export class HealthWaitError extends Error {
  constructor(
    readonly reason: 'exited' | 'timeout' | 'aborted',
    message: string,
    /** The last answer of `/health` (its status and body), when there was one. */
    readonly lastAnswer?: string,
  ) {
    super(message);
    this.name = 'HealthWaitError';
  }
}

const PROBE_TIMEOUT_MS = 2_000;

/**
 * Resolves once `GET <baseUrl>/health` answers 200: the service is ready, not just listening
 * (readiness includes what it needs to serve, such as the gateway's session keys). The one
 * wait every tool uses (`npm start`, test processes, benchmarks).
 */
export async function waitForHealth(baseUrl: string, options: WaitForHealthOptions): Promise<void> {
  const { timeoutMs, intervalMs = 100, process: child, signal } = options;
  const url = `${baseUrl}/health`;
  const deadline = Date.now() + timeoutMs;
  let lastAnswer: string | undefined;
  for (;;) {
    if (child && exited(child) !== undefined) {
      throw new HealthWaitError(
        'exited',
        `${url}: the process exited (${exited(child)}) before it was healthy`,
        lastAnswer,
      );
    }
    if (signal?.aborted)
      throw new HealthWaitError('aborted', `${url}: waiting stopped`, lastAnswer);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
      // Read to the end either way: an unread body holds its connection open.
      const body = await response.text();
      if (response.status === 200) return;
      lastAnswer = `${response.status} ${body}`;
    } catch {
      // not listening yet
    }
    if (Date.now() >= deadline) {
      throw new HealthWaitError(
        'timeout',
        `${url} not 200 after ${timeoutMs / 1000} s${lastAnswer ? ` (last: ${lastAnswer})` : ''}`,
        lastAnswer,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** The exit code or signal of a process that has ended, undefined while it runs. */
const exited = (child: RunningProcess): number | string | undefined =>
  child.child.exitCode ?? child.child.signalCode ?? undefined;
