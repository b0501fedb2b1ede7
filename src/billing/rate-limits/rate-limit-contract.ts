// The rate-limiter contract the request path codes against: per-minute request and token
// limits checked as token buckets, one pair of buckets per scope (key, project, organisation, model).
import type { Clock, Logger } from '../../core/index.js';

export interface RateLimit {
  readonly requestsPerMinute?: number;
  readonly tokensPerMinute?: number;
}

/** One bucket pair to check, e.g. { scope: 'key:key_123', limit: {...} } or 'project:…', 'organisation:…', 'model:gpt-4o'. */
export interface LimitCheck {
  readonly scope: string;
  readonly limit: RateLimit;
}

export type LimitKind = 'requests' | 'tokens';

export interface LimitExceeded {
  readonly scope: string;
  readonly kind: LimitKind;
  readonly limit: number;
  /** What the bucket had spent when the request came (may exceed the limit after token adjustments). */
  readonly used: number;
  /** What this request asked of the bucket: 1 request, or its token estimate. */
  readonly requested: number;
}

export interface LimitDecision {
  readonly allowed: boolean;
  /**
   * OpenAI-style: x-ratelimit-limit-requests, x-ratelimit-remaining-requests, x-ratelimit-reset-requests
   * ("12ms", "1s", "6m0s" as OpenAI writes durations), and the -tokens ones, for the most constraining
   * check of each kind. Empty when no check has a limit.
   */
  readonly headers: Readonly<Record<string, string>>;
  /** When refused: seconds until the refused bucket has room (for retry-after); absent when the request can never fit. */
  readonly retryAfterSeconds?: number;
  readonly exceeded?: LimitExceeded;
}

export interface RateLimiter {
  /** Atomically: if every bucket has room for 1 request and `tokens` tokens, take them from all; else take nothing. */
  admit(checks: readonly LimitCheck[], tokens: number): Promise<LimitDecision>;
  /** The same without a promise, for a limiter that answers at once (in process): the request path then needs no await. */
  admitNow?(checks: readonly LimitCheck[], tokens: number): LimitDecision;
  /** After the request: give back (negative) or take (positive) the difference between the tokens admitted and used; never refuses, may go below zero. */
  adjustTokens(checks: readonly LimitCheck[], tokenDelta: number): Promise<void>;
  close(): Promise<void>;
}

/** What createRateLimiter returns: the contract plus what operations want to watch. */
export interface ObservableRateLimiter extends RateLimiter {
  readonly backend: 'memory' | 'redis';
  /** Admits and adjustments let through (or skipped) because Redis could not be reached; always 0 in memory. */
  readonly failOpenCount: number;
}

export interface RateLimiterOptions {
  /** redis:// or rediss:// URL: buckets live in Redis and every replica shares them. Without it, in-process. */
  readonly redisUrl?: string;
  /** Prefix of every Redis key (default "modelmart:ratelimit:"), so several deployments can share one Redis. */
  readonly keyPrefix?: string;
  readonly clock?: Clock;
  /** Where the fail-open warning goes (at most once a minute); defaults to a JSON logger on stdout. */
  readonly logger?: Pick<Logger, 'warn'>;
  /** Longest wait for one Redis command before failing open (default 1000 ms). */
  readonly redisCommandTimeoutMs?: number;
}
