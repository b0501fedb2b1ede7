// Rate limits: requests and tokens per minute as token buckets per key, project, organisation and
// model; in-process, or in Redis so replicas share them. The request path imports only this file.
export type {
  LimitCheck,
  LimitDecision,
  LimitExceeded,
  LimitKind,
  ObservableRateLimiter,
  RateLimit,
  RateLimiter,
  RateLimiterOptions,
} from './rate-limit-contract.js';
export { createRateLimiter } from './rate-limiter-factory.js';
export { rateLimitExceeded } from './rate-limit-error.js';
export { formatOpenAiDuration } from './rate-limit-headers.js';
export { MemoryRateLimiter } from './memory-rate-limiter.js';
export { RedisRateLimiter, defaultKeyPrefix } from './redis-rate-limiter.js';
