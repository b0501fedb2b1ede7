// The in-process limiter (one server): a Map of buckets per kind, O(1) per check, no timers.
// A bucket that has refilled to full says nothing a missing bucket would not, so a sweep that
// walks a few entries on every call deletes full ones: memory follows the scopes active in the
// last minute, however many keys have ever called.
import { systemClock, type Clock } from '../../core/index.js';
import type { LimitCheck, LimitDecision, ObservableRateLimiter } from './rate-limit-contract.js';
import { decide, unlimitedDecision } from './rate-limit-decision.js';
import { bucketHasRoom, normaliseTokenCount, planBuckets, planTokenBuckets, refilledLevel, type BucketPlan } from './token-bucket.js';

interface Bucket {
  level: number;
  updatedAtMilliseconds: number;
  /** The limit last seen, so the sweep can tell a full bucket without a check in hand. */
  capacity: number;
}

/**
 * Entries the sweep visits per bucket added: more than one, so the sweep outruns new scopes and
 * the table stays within about twice the buckets active in the last minute. Buckets that are only
 * updated add nothing to sweep, so the common case (known scopes) costs one step per admit.
 */
const sweepStepsPerInsert = 2;

class BucketTable {
  private readonly buckets = new Map<string, Bucket>();
  private sweepCursor: MapIterator<[string, Bucket]> = this.buckets.entries();

  get size(): number {
    return this.buckets.size;
  }

  get(scope: string): Bucket | undefined {
    return this.buckets.get(scope);
  }

  /** Stores a level into `bucket` (the one `get` returned for `scope`) or into a new one. */
  store(scope: string, bucket: Bucket | undefined, level: number, capacity: number, now: number): void {
    if (bucket !== undefined) {
      bucket.level = level;
      bucket.updatedAtMilliseconds = now;
      bucket.capacity = capacity;
    } else if (level < capacity) {
      this.buckets.set(scope, { level, updatedAtMilliseconds: now, capacity });
      this.sweep(now, sweepStepsPerInsert);
    }
  }

  sweep(now: number, steps: number): void {
    for (let step = 0; step < steps; step += 1) {
      const next = this.sweepCursor.next();
      if (next.done === true) {
        // A finished Map iterator stays finished; a fresh one also sees scopes added since.
        this.sweepCursor = this.buckets.entries();
        return;
      }
      const [scope, bucket] = next.value;
      if (refilledLevel(bucket.level, now - bucket.updatedAtMilliseconds, bucket.capacity) >= bucket.capacity) this.buckets.delete(scope);
    }
  }
}

function levelOf(bucket: Bucket | undefined, capacity: number, now: number): number {
  return bucket === undefined ? capacity : refilledLevel(bucket.level, now - bucket.updatedAtMilliseconds, capacity);
}

export class MemoryRateLimiter implements ObservableRateLimiter {
  readonly backend = 'memory';
  readonly failOpenCount = 0;
  private readonly requests = new BucketTable();
  private readonly tokens = new BucketTable();
  private readonly clock: Clock;

  constructor(options: { readonly clock?: Clock } = {}) {
    this.clock = options.clock ?? systemClock;
  }

  /** Buckets held now (requests + tokens), for tests and metrics. */
  get bucketCount(): number {
    return this.requests.size + this.tokens.size;
  }

  admit(checks: readonly LimitCheck[], tokens: number): Promise<LimitDecision> {
    return Promise.resolve(this.admitNow(checks, tokens));
  }

  /** The synchronous core: JavaScript runs it to the end before any other admit, which makes it atomic. */
  admitNow(checks: readonly LimitCheck[], tokens: number): LimitDecision {
    const plans = planBuckets(checks, normaliseTokenCount(tokens));
    if (plans.length === 0) return unlimitedDecision;
    const now = this.clock.monotonicMilliseconds();
    const levels = new Array<number>(plans.length);
    const buckets = new Array<Bucket | undefined>(plans.length);
    let allowed = true;
    for (let index = 0; index < plans.length; index += 1) {
      const plan = plans[index] as BucketPlan;
      const bucket = this.table(plan).get(plan.scope);
      const level = levelOf(bucket, plan.capacity, now);
      buckets[index] = bucket;
      levels[index] = level;
      if (!bucketHasRoom(plan, level)) allowed = false;
    }
    if (allowed) {
      for (let index = 0; index < plans.length; index += 1) {
        const plan = plans[index] as BucketPlan;
        this.table(plan).store(plan.scope, buckets[index], (levels[index] as number) - plan.cost, plan.capacity, now);
      }
    }
    // One step a call as well, so a table nobody adds to still empties in time.
    this.requests.sweep(now, 1);
    this.tokens.sweep(now, 1);
    return decide(plans, levels, allowed);
  }

  adjustTokens(checks: readonly LimitCheck[], tokenDelta: number): Promise<void> {
    if (!Number.isFinite(tokenDelta) || tokenDelta === 0) return Promise.resolve();
    const now = this.clock.monotonicMilliseconds();
    for (const plan of planTokenBuckets(checks)) {
      const bucket = this.tokens.get(plan.scope);
      this.tokens.store(plan.scope, bucket, Math.min(plan.capacity, levelOf(bucket, plan.capacity, now) - tokenDelta), plan.capacity, now);
    }
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private table(plan: BucketPlan): BucketTable {
    return plan.kind === 'requests' ? this.requests : this.tokens;
  }
}
