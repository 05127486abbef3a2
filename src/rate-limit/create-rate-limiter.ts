import type { Config } from "../config.js";
import { MemoryRateLimiter, type RateLimiter } from "./rate-limiter.js";
import { RedisRateLimiter, type OutageListener } from "./redis-rate-limiter.js";

/** In memory unless REDIS_URL names a store that several instances share. */
export function createRateLimiter(
  config: Pick<Config, "REDIS_URL" | "REDIS_KEY_PREFIX">,
  outage?: OutageListener,
): RateLimiter {
  return config.REDIS_URL
    ? new RedisRateLimiter(config.REDIS_URL, { prefix: config.REDIS_KEY_PREFIX, outage })
    : new MemoryRateLimiter();
}
