// Local leases on shared token buckets: when a bucket is far from empty, a server takes a chunk of
// it at once (≤ 1/16 of its level, at most 1,024 requests' worth, only when that is at least 4)
// and admits from the chunk with no round trip. Near empty every admit goes to the shared bucket
// exactly, so the limit holds exactly where it matters. Unused chunks go back after a short idle
// time, when the bucket is near empty, and on close; token adjustments are summed and sent in one
// call every few milliseconds. Headers of a locally admitted request come from the local view:
// the shared level after this server's last take plus what its chunk still has.
import type { BucketPlan } from './token-bucket.js';

/** What the shared limiter answers for one atomic take: whether it took, and each bucket's level before. */
export interface SharedTake {
  readonly allowed: boolean;
  readonly levels: readonly number[];
}

export interface BucketLeaseTransport {
  /** Takes `costs[i]` from each bucket, all or none (the admit script). */
  take(plans: readonly BucketPlan[], costs: readonly number[]): Promise<SharedTake | undefined>;
  /** Adds `-deltas[i]` to each bucket (negative gives back), never refusing. */
  adjust(plans: readonly BucketPlan[], deltas: readonly number[]): Promise<void>;
}

const leaseDivisor = 16;
const minimumRequests = 4;
const maximumRequests = 1_024;

interface BucketLease {
  /** Taken from the shared bucket and not yet used. */
  available: number;
  /** The shared level right after this server's last take. */
  levelAfter: number | undefined;
  plan: BucketPlan;
  nearEmpty: boolean;
  lastUsedAt: number;
  leasing: Promise<void> | undefined;
}

/**
 * Values per bucket (kind and scope), looked up without joining the two into a key string: each
 * admit looks up every bucket of its request twice.
 */
class BucketMap<Value> {
  private readonly byKind = { requests: new Map<string, Value>(), tokens: new Map<string, Value>() };

  get(plan: BucketPlan): Value | undefined {
    return this.byKind[plan.kind].get(plan.scope);
  }

  set(plan: BucketPlan, value: Value): void {
    this.byKind[plan.kind].set(plan.scope, value);
  }

  delete(plan: BucketPlan): void {
    this.byKind[plan.kind].delete(plan.scope);
  }

  clear(): void {
    this.byKind.requests.clear();
    this.byKind.tokens.clear();
  }

  *values(): Generator<Value> {
    yield* this.byKind.requests.values();
    yield* this.byKind.tokens.values();
  }
}

export class BucketLeases {
  private readonly leases = new BucketMap<BucketLease>();
  private readonly pendingDeltas = new BucketMap<{ plan: BucketPlan; delta: number }>();
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private closing = false;
  /** Settles when the next flush has sent what is pending now. */
  private nextFlush: Promise<void> | undefined;
  private resolveNextFlush: () => void = () => undefined;

  constructor(
    private readonly transport: BucketLeaseTransport,
    private readonly options: { readonly flushIntervalMilliseconds?: number; readonly idleReturnMilliseconds?: number; readonly onError?: (error: unknown) => void } = {},
  ) {}

  /**
   * Admits from local chunks when every bucket's has room; else takes from the shared buckets (with
   * new chunks where they are far from empty). Answers the levels before, for the decision; undefined
   * when the shared limiter could not answer.
   */
  async admit(plans: readonly BucketPlan[]): Promise<SharedTake | undefined> {
    for (;;) {
      // Made only when a lease is being taken: the usual admit, from local chunks, allocates none.
      let waits: Promise<void>[] | undefined;
      let fits = true;
      for (const plan of plans) {
        const lease = this.leases.get(plan);
        if (lease !== undefined && lease.available >= plan.cost && lease.levelAfter !== undefined) continue;
        fits = false;
        if (lease?.leasing !== undefined) (waits ??= []).push(lease.leasing);
      }
      if (fits) return this.takeLocally(plans);
      if (waits === undefined) return this.takeShared(plans);
      await Promise.all(waits);
    }
  }

  private takeLocally(plans: readonly BucketPlan[]): SharedTake {
    const now = performance.now();
    const levels = plans.map((plan) => {
      const lease = this.leases.get(plan) as BucketLease;
      const before = (lease.levelAfter ?? 0) + lease.available;
      lease.available -= plan.cost;
      lease.lastUsedAt = now;
      return before;
    });
    return { allowed: true, levels };
  }

  private leaseFor(plan: BucketPlan): BucketLease {
    let lease = this.leases.get(plan);
    if (lease === undefined) {
      lease = { available: 0, levelAfter: undefined, plan, nearEmpty: true, lastUsedAt: performance.now(), leasing: undefined };
      this.leases.set(plan, lease);
    }
    lease.plan = plan;
    return lease;
  }

  private chunkSize(lease: BucketLease, plan: BucketPlan): number {
    if (lease.levelAfter === undefined || this.closing) return 0;
    const unit = Math.max(1, plan.cost);
    const size = Math.min(unit * maximumRequests, Math.floor(lease.levelAfter / leaseDivisor));
    lease.nearEmpty = size < minimumRequests * unit;
    return lease.nearEmpty ? 0 : size;
  }

  private async takeShared(plans: readonly BucketPlan[]): Promise<SharedTake | undefined> {
    const leases = plans.map((plan) => this.leaseFor(plan));
    const chunks = plans.map((plan, index) => this.chunkSize(leases[index] as BucketLease, plan));
    let finished: () => void = () => undefined;
    const leasing = new Promise<void>((resolve) => (finished = resolve));
    leases.forEach((lease, index) => {
      if ((chunks[index] ?? 0) > 0 && lease.leasing === undefined) lease.leasing = leasing;
    });
    try {
      let costs = plans.map((plan, index) => plan.cost + (chunks[index] ?? 0));
      let reply = await this.transport.take(plans, costs);
      if (reply !== undefined && !reply.allowed && chunks.some((chunk) => chunk > 0)) {
        for (const lease of leases) lease.nearEmpty = true;
        costs = plans.map((plan) => plan.cost);
        reply = await this.transport.take(plans, costs);
      }
      if (reply === undefined) return undefined;
      const now = performance.now();
      leases.forEach((lease, index) => {
        const before = reply.levels[index];
        if (before === undefined) return;
        if (!reply.allowed) {
          lease.levelAfter = before;
          lease.nearEmpty = true;
          return;
        }
        lease.levelAfter = before - (costs[index] ?? 0);
        lease.available += (costs[index] ?? 0) - (plans[index]?.cost ?? 0);
        lease.lastUsedAt = now;
      });
      if (!reply.allowed) this.scheduleFlush();
      // The levels before the take: the headers count this server's new chunk as still there.
      return reply;
    } finally {
      for (const lease of leases) if (lease.leasing === leasing) lease.leasing = undefined;
      finished();
    }
  }

  /** Adds a token correction to the next flush (positive takes, negative gives back); resolves once that flush has sent it. */
  adjust(plans: readonly BucketPlan[], delta: number): Promise<void> {
    for (const plan of plans) {
      const pending = this.pendingDeltas.get(plan);
      if (pending === undefined) this.pendingDeltas.set(plan, { plan, delta });
      else pending.delta += delta;
    }
    this.scheduleFlush();
    this.nextFlush ??= new Promise<void>((resolve) => (this.resolveNextFlush = resolve));
    return this.nextFlush;
  }

  private scheduleFlush(delay = this.options.flushIntervalMilliseconds ?? 25): void {
    if (this.flushTimer !== undefined || this.closing) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      this.flush().catch((error: unknown) => this.options.onError?.(error));
    }, delay);
    this.flushTimer.unref();
  }

  /** Sends the summed corrections and gives back chunks that are idle, near empty, or (closing) all. */
  async flush(): Promise<void> {
    const sent = this.resolveNextFlush;
    this.nextFlush = undefined;
    this.resolveNextFlush = () => undefined;
    try {
      await this.flushOnce();
    } finally {
      sent();
    }
  }

  private async flushOnce(): Promise<void> {
    const now = performance.now();
    const idleReturn = this.options.idleReturnMilliseconds ?? 500;
    const plans: BucketPlan[] = [];
    const deltas: number[] = [];
    let chunkLeft = false;
    for (const pending of this.pendingDeltas.values()) {
      if (pending.delta === 0) continue;
      plans.push(pending.plan);
      deltas.push(pending.delta);
    }
    this.pendingDeltas.clear();
    for (const lease of this.leases.values()) {
      if (lease.leasing !== undefined) continue;
      const idle = now - lease.lastUsedAt >= idleReturn;
      if (lease.available > 0 && (this.closing || lease.nearEmpty || idle)) {
        plans.push(lease.plan);
        deltas.push(-lease.available);
        lease.available = 0;
      } else if (lease.available > 0) chunkLeft = true;
      if (lease.available <= 0 && idle) this.leases.delete(lease.plan);
    }
    if (plans.length > 0) await this.transport.adjust(plans, deltas);
    if (chunkLeft) this.scheduleFlush(idleReturn);
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.flushTimer !== undefined) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    await this.flush();
  }
}
