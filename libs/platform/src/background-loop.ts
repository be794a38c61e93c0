export interface BackgroundLoopOptions<T> {
  /** Time between two ticks; a tick that finds a run in flight starts none. */
  everyMs: number;
  /** One run; `signal` aborts when the loop stops, so a long run can end between two steps. */
  run: (signal: AbortSignal) => Promise<T>;
  /** A failed run is reported here and the loop goes on (the next tick tries again). */
  onError: (error: unknown) => void;
}

/**
 * Periodic background work inside a service (a sweep, a relay): one run at a time per process,
 * a failure never stops the loop, and `stop` ends it cleanly — no new run, the signal of the
 * one in flight aborted, and it resolves once that run has finished, so the work never loses
 * its clients (NATS, Postgres, Redis) under it. Whether several processes may run it at once
 * is the work's own business (a lease, a lock): the loop knows only this process.
 */
export class BackgroundLoop<T> {
  private readonly stopping = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<T | undefined> | undefined;

  constructor(private readonly options: BackgroundLoopOptions<T>) {}

  /** Aborted once `stop` was called. */
  get signal(): AbortSignal {
    return this.stopping.signal;
  }

  /** Ticks every `everyMs` from now on; with `now`, also runs at once. */
  start({ now = false }: { now?: boolean } = {}): void {
    if (this.timer || this.signal.aborted) return;
    this.timer = setInterval(() => void this.runOnce(), this.options.everyMs).unref();
    if (now) void this.runOnce();
  }

  /**
   * Runs now unless a run is in flight (then answers that one's result); undefined when the
   * run failed or the loop is stopping. Never throws.
   */
  runOnce(): Promise<T | undefined> {
    if (this.signal.aborted) return Promise.resolve(undefined);
    this.running ??= this.options
      .run(this.signal)
      .catch((error: unknown) => {
        this.options.onError(error);
        return undefined;
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }

  /** No new run; aborts the signal and waits for the run in flight. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.stopping.abort();
    await this.running;
  }
}
