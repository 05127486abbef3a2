import { Redis } from "ioredis";
import { decide, type RateDecision, type RateLimiter } from "./rate-limiter.js";

// INCR and PEXPIRE in one script, so a window always ends even if the caller dies between them;
// a key left without an expiry (older writer, manual edit) gets one instead of blocking forever.
const hitScript = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return { count, ttl }`;

// Only an existing window is decremented: DECR on a key gone would leave -1 with no expiry.
const forgiveScript = `
if redis.call('GET', KEYS[1]) and tonumber(redis.call('GET', KEYS[1])) > 0 then
  redis.call('DECR', KEYS[1])
end
return 0`;

interface LimiterCommands {
  rateHit(key: string, windowMs: number): Promise<[number, number]>;
  rateForgive(key: string): Promise<number>;
}

/** Told once when the store becomes unreachable and once when it is back, not on every retry. */
export interface OutageListener {
  down(error: Error): void;
  up(): void;
}

export interface RedisRateLimiterOptions {
  prefix?: string;
  outage?: OutageListener;
}

/** Fixed-window counters in Redis, so every instance of the gateway counts against one limit. */
export class RedisRateLimiter implements RateLimiter {
  private readonly redis: Redis & LimiterCommands;

  private readonly prefix: string;

  private down = false;

  constructor(url: string, options: RedisRateLimiterOptions = {}) {
    this.prefix = options.prefix ?? "rl:";
    // A request waits for at most one reconnect attempt rather than queueing behind an outage; it
    // then fails (500), so an outage never lifts the limits.
    const redis = new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 5000 });
    // ioredis emits an error per reconnect attempt (every second or so): report the transitions only.
    redis.on("error", (error: Error) => {
      if (this.down) return;
      this.down = true;
      options.outage?.down(error);
    });
    redis.on("ready", () => {
      if (!this.down) return;
      this.down = false;
      options.outage?.up();
    });
    redis.defineCommand("rateHit", { numberOfKeys: 1, lua: hitScript });
    redis.defineCommand("rateForgive", { numberOfKeys: 1, lua: forgiveScript });
    this.redis = redis as Redis & LimiterCommands;
  }

  async hit(key: string, limit: number, windowSeconds: number): Promise<RateDecision> {
    const [count, ttl] = await this.redis.rateHit(this.prefix + key, windowSeconds * 1000);
    const now = Date.now();
    return decide(count, limit, now + ttl, now);
  }

  async reset(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }

  async forgive(key: string): Promise<void> {
    await this.redis.rateForgive(this.prefix + key);
  }

  available(): boolean {
    return this.redis.status === "ready";
  }

  async close(): Promise<void> {
    if (this.redis.status === "ready") await this.redis.quit();
    else this.redis.disconnect();
  }
}
