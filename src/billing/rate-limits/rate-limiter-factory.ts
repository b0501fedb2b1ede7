// Picks the limiter: in-process by default, Redis-backed (shared by every replica) with a Redis URL.
import type { ObservableRateLimiter, RateLimiterOptions } from './rate-limit-contract.js';
import { MemoryRateLimiter } from './memory-rate-limiter.js';
import { RedisRateLimiter } from './redis-rate-limiter.js';

export function createRateLimiter(options: RateLimiterOptions = {}): ObservableRateLimiter {
  if (options.redisUrl === undefined || options.redisUrl === '') {
    return new MemoryRateLimiter(options.clock === undefined ? {} : { clock: options.clock });
  }
  return new RedisRateLimiter({
    redisUrl: options.redisUrl,
    ...(options.keyPrefix === undefined ? {} : { keyPrefix: options.keyPrefix }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    ...(options.redisCommandTimeoutMs === undefined ? {} : { commandTimeoutMs: options.redisCommandTimeoutMs }),
  });
}
