// The x-ratelimit-* response headers OpenAI sends (limit, remaining and reset, for requests and
// for tokens), so clients written for OpenAI read Modelmart's limits unchanged.
import type { LimitKind } from './rate-limit-contract.js';
import { millisecondsUntilLevel, type BucketPlan } from './token-bucket.js';

/**
 * A duration the way OpenAI writes it (Go's time.Duration notation, to the millisecond):
 * "0s", "12ms", "1s", "1.2s", "6m0s", "1h0m0s". Rounded up, so waiting that long is enough.
 */
export function formatOpenAiDuration(milliseconds: number): string {
  const total = Math.max(0, Math.ceil(milliseconds));
  if (total === 0) return '0s';
  if (total < 1000) return `${total}ms`;
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor((total % 3_600_000) / 60_000);
  const seconds = `${(total % 60_000) / 1000}s`;
  if (hours > 0) return `${hours}h${minutes}m${seconds}`;
  if (minutes > 0) return `${minutes}m${seconds}`;
  return seconds;
}

interface KindSummary {
  limit: number;
  remaining: number;
  resetMilliseconds: number;
}

/**
 * Headers for the most constraining bucket of each kind: the fewest remaining, and of equals the
 * one furthest from full. `levels[i]` is the level of `plans[i]` after the decision.
 */
export function rateLimitHeaders(plans: readonly BucketPlan[], levels: readonly number[]): Record<string, string> {
  let requests: KindSummary | undefined;
  let tokens: KindSummary | undefined;
  for (let index = 0; index < plans.length; index += 1) {
    const plan = plans[index];
    const level = levels[index];
    if (plan === undefined || level === undefined) continue;
    const summary: KindSummary = {
      limit: plan.capacity,
      remaining: Math.max(0, Math.floor(level)),
      resetMilliseconds: millisecondsUntilLevel(level, plan.capacity, plan.capacity),
    };
    if (plan.kind === 'requests') requests = moreConstraining(requests, summary);
    else tokens = moreConstraining(tokens, summary);
  }
  const headers: Record<string, string> = {};
  if (requests !== undefined) writeKind(headers, 'requests', requests);
  if (tokens !== undefined) writeKind(headers, 'tokens', tokens);
  return headers;
}

function moreConstraining(current: KindSummary | undefined, candidate: KindSummary): KindSummary {
  if (current === undefined) return candidate;
  if (candidate.remaining !== current.remaining) return candidate.remaining < current.remaining ? candidate : current;
  return candidate.resetMilliseconds > current.resetMilliseconds ? candidate : current;
}

const headerNames = {
  requests: { limit: 'x-ratelimit-limit-requests', remaining: 'x-ratelimit-remaining-requests', reset: 'x-ratelimit-reset-requests' },
  tokens: { limit: 'x-ratelimit-limit-tokens', remaining: 'x-ratelimit-remaining-tokens', reset: 'x-ratelimit-reset-tokens' },
} as const;

function writeKind(headers: Record<string, string>, kind: LimitKind, summary: KindSummary): void {
  const names = headerNames[kind];
  headers[names.limit] = String(summary.limit);
  headers[names.remaining] = String(summary.remaining);
  headers[names.reset] = formatOpenAiDuration(summary.resetMilliseconds);
}
