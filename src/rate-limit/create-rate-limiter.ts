import type { Config } from "../config.js";
import { MemoryRateLimiter, type RateLimiter } from "./rate-limiter.js";
import type { OutageListener } from "./redis-rate-limiter.js";

/**
 * In memory unless REDIS_URL names a store that several instances share. The Redis client is
 * imported only then: loading it costs every other start-up time for nothing.
 */
export async function createRateLimiter(
  config: Pick<Config, "REDIS_URL" | "REDIS_KEY_PREFIX">,
  outage?: OutageListener,
): Promise<RateLimiter> {
  if (!config.REDIS_URL) return new MemoryRateLimiter();
  const { RedisRateLimiter } = await import("./redis-rate-limiter.js");
  return new RedisRateLimiter(config.REDIS_URL, { prefix: config.REDIS_KEY_PREFIX, outage });
}
