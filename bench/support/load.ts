/**
 * The benches' load generators.
 *
 * `openLoop`: a fixed rate, open loop: request `i` is due at `start + i / rate` whatever the
 * earlier answers do, and its latency runs from that due time, not from when the client got
 * round to sending it. A stalled server (or a stalled client) then shows in the tail instead
 * of quietly lowering the rate (coordinated omission).
 *
 * `closedLoop`: as fast as the server answers with `inFlight` requests outstanding: the most
 * requests per second the path sustains (its latencies say nothing about a fixed rate's).
 */
import { performance } from 'node:perf_hooks';

export interface OpenLoopOptions {
  /** Requests per second. */
  rate: number;
  seconds: number;
  /**
   * Sends request `i`; resolves when its timed part is over, to whether the answer was the
   * one expected. A rejection counts as an error.
   */
  send: (i: number) => Promise<boolean>;
}

export interface OpenLoopResult {
  sent: number;
  /** Latencies (µs, from the due time) of the answers that were right, in sending order. */
  samples: number[];
  errors: number;
  /** Requests sent per second, from the first due time to the last send. */
  achievedRate: number;
  /** The largest gap (µs) between a request's due time and its send: the client's own lag. */
  maxSendLagUs: number;
}

export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  p999: number;
  max: number;
}

export async function openLoop({ rate, seconds, send }: OpenLoopOptions): Promise<OpenLoopResult> {
  const total = Math.round(rate * seconds);
  const samples: Array<number | undefined> = new Array<number | undefined>(total);
  let errors = 0;
  let maxSendLagUs = 0;
  const pending: Array<Promise<void>> = [];
  const start = performance.now();
  let next = 0;
  let lastSend = start;
  while (next < total) {
    const now = performance.now();
    // Everything already due goes out now, each timed from its own due time.
    while (next < total && start + (next * 1000) / rate <= now) {
      const i = next;
      const due = start + (i * 1000) / rate;
      maxSendLagUs = Math.max(maxSendLagUs, (now - due) * 1000);
      pending.push(
        send(i).then(
          (ok) => {
            if (ok) samples[i] = (performance.now() - due) * 1000;
            else errors += 1;
          },
          () => {
            errors += 1;
          },
        ),
      );
      next += 1;
      lastSend = now;
    }
    if (next < total) {
      const wait = start + (next * 1000) / rate - performance.now();
      // setTimeout is good to ~1 ms; the last stretch is yielded away rather than slept.
      await new Promise<void>((resolve) =>
        wait > 1.5 ? setTimeout(resolve, wait - 1) : setImmediate(resolve),
      );
    }
  }
  await Promise.all(pending);
  const elapsed = lastSend - start;
  return {
    sent: total,
    samples: samples.filter((sample): sample is number => sample !== undefined),
    errors,
    achievedRate: elapsed > 0 ? Math.round(((total - 1) * 1000) / elapsed) : Number.NaN,
    maxSendLagUs,
  };
}

export interface ClosedLoopResult {
  requests: number;
  errors: number;
  perSecond: number;
}

/** `requests` requests, `inFlight` at a time; `send` as for `openLoop`. */
export async function closedLoop(
  requests: number,
  inFlight: number,
  send: (i: number) => Promise<boolean>,
): Promise<ClosedLoopResult> {
  let next = 0;
  let errors = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < requests) {
        const i = next;
        next += 1;
        const ok = await send(i).catch(() => false);
        if (!ok) errors += 1;
      }
    }),
  );
  const elapsed = performance.now() - start;
  return { requests, errors, perSecond: Math.round((requests * 1000) / elapsed) };
}

/** p50, p99, p99.9 and max of latencies (nearest rank). */
export function summarize(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number): number =>
    sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]! : NaN;
  return {
    count: sorted.length,
    p50: at(0.5),
    p99: at(0.99),
    p999: at(0.999),
    max: sorted.at(-1) ?? Number.NaN,
  };
}
