/** Todoist's per-user budget: at most `maxRequests` in any `windowSeconds` (1,000 per 15 min). */
export class RateLimiter {
  private readonly history = new Map<string, number[]>();

  constructor(
    private maxRequests = 1000,
    private windowSeconds = 900,
  ) {}

  configure(maxRequests: number, windowSeconds = this.windowSeconds): void {
    this.maxRequests = maxRequests;
    this.windowSeconds = windowSeconds;
  }

  /** Counts a request; returns null when allowed, else the seconds until one is allowed again. */
  take(userId: string, now = Date.now()): number | null {
    const windowMs = this.windowSeconds * 1000;
    const recent = (this.history.get(userId) ?? []).filter((at) => at > now - windowMs);
    this.history.set(userId, recent);
    if (recent.length >= this.maxRequests) {
      const oldest = recent[recent.length - this.maxRequests] ?? now;
      return Math.max(1, Math.ceil((oldest + windowMs - now) / 1000));
    }
    recent.push(now);
    return null;
  }
}
