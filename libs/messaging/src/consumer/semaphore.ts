/** Bounds how many handlers run at once, and tells when none is running. */
export class Semaphore {
  private available: number;
  private readonly waiters: Array<() => void> = [];
  private idleWaiters: Array<() => void> = [];

  constructor(readonly size: number) {
    this.available = size;
  }

  async acquire(): Promise<void> {
    if (this.available > 0) {
      this.available -= 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  release(): void {
    const next = this.waiters.shift();
    if (next) return next();
    this.available += 1;
    if (this.available === this.size) {
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  /** Resolves once every acquired slot has been released. */
  whenIdle(): Promise<void> {
    if (this.inUse === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  get inUse(): number {
    return this.size - this.available;
  }
}
