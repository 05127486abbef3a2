import type { Config } from "../config.js";
import { MemoryRateLimiter, type RateLimiter } from "./rate-limiter.js";
import { RedisRateLimiter } from "./redis-rate-limiter.js";

/** In memory unless REDIS_URL names a store that several instances share. */
export function createRateLimiter(config: Pick<Config, "REDIS_URL">, onError?: (error: Error) => void): RateLimiter {
  return config.REDIS_URL ? new RedisRateLimiter(config.REDIS_URL, { onError }) : new MemoryRateLimiter();
}
