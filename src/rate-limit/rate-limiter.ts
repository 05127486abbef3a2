export interface RateDecision {
  allowed: boolean;
  /** Seconds until the window that refused the hit ends (0 when allowed). */
  retryAfter: number;
  /** Hits the window still allows after this one. */
  remaining: number;
  /** Seconds until the window ends and its count starts again. */
  resetSeconds: number;
}

/** Fixed-window counters; in memory by default, in Redis when instances must share them. */
export interface RateLimiter {
  /** Counts one hit against `key` and says whether it is within `limit` per `windowSeconds`. */
  hit(key: string, limit: number, windowSeconds: number): Promise<RateDecision>;
  reset(key: string): Promise<void>;
  /** Takes back one hit of the current window, for an attempt counted up front that turned out fine. */
  forgive(key: string): Promise<void>;
  /** Whether hits can be counted right now; readiness reports a store that cannot. */
  available(): boolean;
  close(): Promise<void>;
}

export class MemoryRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();
  private sweeps = 0;

  async hit(key: string, limit: number, windowSeconds: number): Promise<RateDecision> {
    const now = Date.now();
    if (++this.sweeps % 1000 === 0) this.sweep(now);
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      window = { count: 0, resetAt: now + windowSeconds * 1000 };
      this.windows.set(key, window);
    }
    window.count++;
    return decide(window.count, limit, window.resetAt, now);
  }

  async reset(key: string): Promise<void> {
    this.windows.delete(key);
  }

  async forgive(key: string): Promise<void> {
    const window = this.windows.get(key);
    if (window && window.count > 0) window.count--;
  }

  available(): boolean {
    return true;
  }

  async close(): Promise<void> {
    this.windows.clear();
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
  }
}

export function decide(count: number, limit: number, resetAt: number, now: number): RateDecision {
  const resetSeconds = Math.max(0, Math.ceil((resetAt - now) / 1000));
  const remaining = Math.max(0, limit - count);
  if (count <= limit) return { allowed: true, retryAfter: 0, remaining, resetSeconds };
  return { allowed: false, retryAfter: Math.max(1, resetSeconds), remaining, resetSeconds };
}
