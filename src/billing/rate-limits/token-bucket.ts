// Token-bucket arithmetic shared by the in-process and the Redis limiter (whose Lua script repeats
// the same two formulas): a bucket holds at most its per-minute limit, starts full and refills
// continuously at limit/60 per second, the way OpenAI describes its limits.
import type { LimitCheck, LimitKind } from './rate-limit-contract.js';

export const millisecondsPerMinute = 60_000;

/** One bucket a request touches: which, how large, and what the request takes from it. */
export interface BucketPlan {
  readonly scope: string;
  readonly kind: LimitKind;
  readonly capacity: number;
  readonly cost: number;
}

/** The level `elapsedMilliseconds` after the bucket held `level`; a shrunken limit caps it at once. */
export function refilledLevel(level: number, elapsedMilliseconds: number, capacity: number): number {
  if (elapsedMilliseconds <= 0) return Math.min(level, capacity);
  return Math.min(capacity, level + (elapsedMilliseconds * capacity) / millisecondsPerMinute);
}

/** Milliseconds until a bucket at `level` holds `target` (0 when it already does). */
export function millisecondsUntilLevel(level: number, target: number, capacity: number): number {
  if (level >= target || capacity <= 0) return 0;
  return ((target - level) * millisecondsPerMinute) / capacity;
}

/** A cost larger than the bucket, or a bucket of size 0: no wait makes room. */
export function neverFits(plan: BucketPlan): boolean {
  return plan.capacity <= 0 || plan.cost > plan.capacity;
}

/** Whether a bucket at `level` can give `cost` now. */
export function bucketHasRoom(plan: BucketPlan, level: number): boolean {
  return !neverFits(plan) && level >= plan.cost;
}

/**
 * The buckets of one request, requests before tokens for each check. A check that sets neither
 * limit adds none, so checks without limits cost nothing. A limit of 0 (or less) refuses everything.
 */
export function planBuckets(checks: readonly LimitCheck[], tokens: number): BucketPlan[] {
  const plans: BucketPlan[] = [];
  for (const check of checks) {
    const { requestsPerMinute, tokensPerMinute } = check.limit;
    if (requestsPerMinute !== undefined) {
      plans.push({ scope: check.scope, kind: 'requests', capacity: Math.max(0, requestsPerMinute), cost: 1 });
    }
    if (tokensPerMinute !== undefined) {
      plans.push({ scope: check.scope, kind: 'tokens', capacity: Math.max(0, tokensPerMinute), cost: tokens });
    }
  }
  return plans;
}

/** The token buckets of the checks, for adjustments after the request. */
export function planTokenBuckets(checks: readonly LimitCheck[]): BucketPlan[] {
  const plans: BucketPlan[] = [];
  for (const check of checks) {
    const { tokensPerMinute } = check.limit;
    if (tokensPerMinute !== undefined && tokensPerMinute > 0) {
      plans.push({ scope: check.scope, kind: 'tokens', capacity: tokensPerMinute, cost: 0 });
    }
  }
  return plans;
}

/** A token count the limiter can trust: finite and not negative (an estimate of NaN counts as 0). */
export function normaliseTokenCount(tokens: number): number {
  return Number.isFinite(tokens) && tokens > 0 ? tokens : 0;
}
