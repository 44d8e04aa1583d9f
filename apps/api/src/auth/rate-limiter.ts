/** The verdict on one request. */
export interface RateLimitDecision {
  allowed: boolean;
  /** Requests left in the current window after this one. */
  remaining: number;
  /** Seconds until the window resets (send as Retry-After when refused). */
  retryAfterSeconds: number;
}

/**
 * Counts requests per key in fixed windows: in memory for one API instance, or in Redis when REDIS_URL is
 * set (redis-rate-limiter.ts), so every replica spends the same budget.
 */
export interface RateLimiter {
  consume(key: string): Promise<RateLimitDecision>;
}

/** Nest injection token of the RateLimiter used by the public auth routes. */
export const AUTH_RATE_LIMITER = Symbol('AUTH_RATE_LIMITER');

/**
 * Fixed windows per key: a key's first request opens its window, which allows `limit` requests until
 * it ends. Expired windows are swept once per window length, so memory is bounded by the keys seen
 * in about two windows.
 */
export class InMemoryRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  private lastSweep: number;

  constructor(
    private readonly limit: number,
    private readonly windowMs = 60_000,
    private readonly clock: () => number = Date.now,
  ) {
    this.lastSweep = clock();
  }

  async consume(key: string): Promise<RateLimitDecision> {
    const now = this.clock();
    this.sweep(now);
    let window = this.windows.get(key);
    if (!window || now - window.start >= this.windowMs) {
      window = { start: now, count: 0 };
      this.windows.set(key, window);
    }
    window.count += 1;
    const retryAfterSeconds = Math.max(1, Math.ceil((window.start + this.windowMs - now) / 1000));
    return {
      allowed: window.count <= this.limit,
      remaining: Math.max(0, this.limit - window.count),
      retryAfterSeconds,
    };
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < this.windowMs) return;
    this.lastSweep = now;
    for (const [key, window] of this.windows) {
      if (now - window.start >= this.windowMs) this.windows.delete(key);
    }
  }

  /** Keys currently tracked (for tests of the sweep). */
  get size(): number {
    return this.windows.size;
  }
}
