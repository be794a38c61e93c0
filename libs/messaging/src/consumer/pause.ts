/**
 * The back-off wait of a consumer loop, which a stop cuts short: a service asked to stop while
 * NATS is away must not sit out a 60 s back-off first (and keep its process alive meanwhile).
 */
export class Pause {
  private timer: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;

  /** Resolves after `ms`, or at once when `interrupt()` is called. */
  for(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
      this.timer = setTimeout(resolve, ms);
    });
  }

  interrupt(): void {
    clearTimeout(this.timer);
    this.wake?.();
  }
}
