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

/**
 * Headers for the most constraining bucket of each kind: the fewest remaining, and of equals the
 * one furthest from full (the first of full ties). `levels[i]` is the level of `plans[i]`: after
 * the decision, or, with `costsTaken`, before it (each plan's cost is then taken off here, so an
 * admitted request needs no array of levels after). Scalars, not a summary object per bucket: this
 * runs on every admitted request.
 */
export function rateLimitHeaders(plans: readonly BucketPlan[], levels: readonly number[], costsTaken = false): Record<string, string> {
  let requests: BucketPlan | undefined;
  let requestsRemaining = 0;
  let requestsReset = 0;
  let tokens: BucketPlan | undefined;
  let tokensRemaining = 0;
  let tokensReset = 0;
  for (let index = 0; index < plans.length; index += 1) {
    const plan = plans[index];
    const given = levels[index];
    if (plan === undefined || (given === undefined && !costsTaken)) continue;
    const level = costsTaken ? (given ?? plan.capacity) - plan.cost : (given as number);
    const remaining = Math.max(0, Math.floor(level));
    const reset = millisecondsUntilLevel(level, plan.capacity, plan.capacity);
    if (plan.kind === 'requests') {
      if (requests === undefined || remaining < requestsRemaining || (remaining === requestsRemaining && reset > requestsReset)) {
        requests = plan;
        requestsRemaining = remaining;
        requestsReset = reset;
      }
    } else if (tokens === undefined || remaining < tokensRemaining || (remaining === tokensRemaining && reset > tokensReset)) {
      tokens = plan;
      tokensRemaining = remaining;
      tokensReset = reset;
    }
  }
  const headers: Record<string, string> = {};
  if (requests !== undefined) writeKind(headers, 'requests', requests.capacity, requestsRemaining, requestsReset);
  if (tokens !== undefined) writeKind(headers, 'tokens', tokens.capacity, tokensRemaining, tokensReset);
  return headers;
}

const headerNames = {
  requests: { limit: 'x-ratelimit-limit-requests', remaining: 'x-ratelimit-remaining-requests', reset: 'x-ratelimit-reset-requests' },
  tokens: { limit: 'x-ratelimit-limit-tokens', remaining: 'x-ratelimit-remaining-tokens', reset: 'x-ratelimit-reset-tokens' },
} as const;

function writeKind(headers: Record<string, string>, kind: LimitKind, limit: number, remaining: number, resetMilliseconds: number): void {
  const names = headerNames[kind];
  headers[names.limit] = String(limit);
  headers[names.remaining] = String(remaining);
  headers[names.reset] = formatOpenAiDuration(resetMilliseconds);
}
