// Turns the levels a limiter read (in memory or in Redis) into the decision the request path acts on:
// allowed or not, the headers, and for a refusal which bucket and how long until it has room.
import type { LimitDecision, LimitExceeded } from './rate-limit-contract.js';
import { rateLimitHeaders } from './rate-limit-headers.js';
import { bucketHasRoom, millisecondsUntilLevel, neverFits, type BucketPlan } from './token-bucket.js';

/** Checks without any limit: allowed, no headers, nothing stored. Shared, so the fast path allocates nothing. */
export const unlimitedDecision: LimitDecision = Object.freeze({ allowed: true, headers: Object.freeze({}) });

/**
 * `levelsBefore[i]` is the refilled level of `plans[i]` before this request took anything; `allowed`
 * says whether the limiter took the costs (it did exactly when every bucket had room).
 */
export function decide(plans: readonly BucketPlan[], levelsBefore: readonly number[], allowed: boolean): LimitDecision {
  // Admitted: the headers show the levels after this request's costs (taken off inside).
  if (allowed) return { allowed: true, headers: rateLimitHeaders(plans, levelsBefore, true) };
  // Of the buckets without room, report the one that needs longest: after that wait all of them have room.
  let refused: { plan: BucketPlan; level: number; waitMilliseconds: number } | undefined;
  plans.forEach((plan, index) => {
    const level = levelsBefore[index] ?? plan.capacity;
    if (bucketHasRoom(plan, level)) return;
    const waitMilliseconds = neverFits(plan) ? Number.POSITIVE_INFINITY : millisecondsUntilLevel(level, plan.cost, plan.capacity);
    if (refused === undefined || waitMilliseconds > refused.waitMilliseconds) refused = { plan, level, waitMilliseconds };
  });
  const headers = rateLimitHeaders(plans, levelsBefore);
  if (refused === undefined) return { allowed: false, headers };
  const { plan, level, waitMilliseconds } = refused;
  const exceeded: LimitExceeded = {
    scope: plan.scope,
    kind: plan.kind,
    limit: plan.capacity,
    // Rounded to the millisecond of refill first, so float noise never shows as one more used.
    used: Math.max(0, Math.ceil(Math.round((plan.capacity - level) * 1000) / 1000)),
    requested: plan.cost,
  };
  if (!Number.isFinite(waitMilliseconds)) return { allowed: false, headers, exceeded };
  return { allowed: false, headers, exceeded, retryAfterSeconds: Math.ceil(waitMilliseconds) / 1000 };
}
