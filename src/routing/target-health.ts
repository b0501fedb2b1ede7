// Passive health per deployment, learned from real traffic: its circuit breaker, counts, and a
// moving window of recent latencies (for least-latency routing and the admin health page).
import { z } from 'zod';
import { CircuitBreaker, type CircuitBreakerSettings } from './circuit-breaker.js';
import type { RouteTarget } from './route-plan.js';

export const targetHealthSnapshotSchema = z.object({
  /** `<provider id>/<model>` */
  target: z.string(),
  providerId: z.string(),
  upstreamModel: z.string(),
  state: z.enum(['closed', 'open', 'half-open']),
  consecutiveFailures: z.number().int().nonnegative(),
  successCount: z.number().int().nonnegative(),
  failureCount: z.number().int().nonnegative(),
  latencyP50Milliseconds: z.number().nonnegative().nullable(),
  lastFailure: z.object({ message: z.string(), at: z.string() }).nullable(),
});
export type TargetHealthSnapshot = z.infer<typeof targetHealthSnapshotSchema>;

export class TargetHealth {
  readonly breaker: CircuitBreaker;
  successCount = 0;
  failureCount = 0;
  private readonly latencies: Float64Array;
  private latencyCount = 0;
  private nextLatencySlot = 0;
  private latencySum = 0;
  private lastFailureMessage: string | undefined;
  private lastFailureAt: Date | undefined;

  constructor(
    readonly target: RouteTarget,
    breakerSettings: CircuitBreakerSettings,
    latencyWindowSize: number,
    private readonly monotonicNow: () => number,
    private readonly wallNow: () => Date,
  ) {
    this.breaker = new CircuitBreaker(breakerSettings, monotonicNow);
    this.latencies = new Float64Array(Math.max(1, latencyWindowSize));
  }

  recordSuccess(latencyMilliseconds: number | undefined): void {
    this.successCount += 1;
    this.breaker.recordSuccess();
    if (latencyMilliseconds !== undefined) this.recordLatency(latencyMilliseconds);
  }

  recordFailure(message: string): void {
    this.failureCount += 1;
    this.lastFailureMessage = message;
    this.lastFailureAt = this.wallNow();
    this.breaker.recordFailure();
  }

  /** The mean of the recent window, or undefined before the first measured answer. */
  averageLatency(): number | undefined {
    return this.latencyCount === 0 ? undefined : this.latencySum / this.latencyCount;
  }

  /** The median of the recent window; sorting a copy is fine, this runs only for the admin page. */
  latencyMedian(): number | undefined {
    if (this.latencyCount === 0) return undefined;
    const sorted = this.latencies.slice(0, this.latencyCount).sort();
    const middle = Math.floor(sorted.length / 2);
    const upper = sorted[middle] ?? 0;
    return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? upper) + upper) / 2;
  }

  snapshot(): TargetHealthSnapshot {
    const median = this.latencyMedian();
    return {
      target: this.target.publicModelId,
      providerId: this.target.providerId,
      upstreamModel: this.target.upstreamModel,
      state: this.breaker.state(),
      consecutiveFailures: this.breaker.consecutiveFailures,
      successCount: this.successCount,
      failureCount: this.failureCount,
      latencyP50Milliseconds: median === undefined ? null : Math.round(median * 10) / 10,
      lastFailure:
        this.lastFailureMessage === undefined || this.lastFailureAt === undefined
          ? null
          : { message: this.lastFailureMessage, at: this.lastFailureAt.toISOString() },
    };
  }

  private recordLatency(milliseconds: number): void {
    if (this.latencyCount === this.latencies.length) this.latencySum -= this.latencies[this.nextLatencySlot] ?? 0;
    else this.latencyCount += 1;
    this.latencies[this.nextLatencySlot] = milliseconds;
    this.latencySum += milliseconds;
    this.nextLatencySlot = (this.nextLatencySlot + 1) % this.latencies.length;
  }
}

export interface TargetHealthRegistrySettings {
  readonly breaker: CircuitBreakerSettings;
  readonly latencyWindowSize: number;
  readonly monotonicNow: () => number;
  readonly wallNow: () => Date;
}

/** Health records for every configured deployment, created at start so lookups never allocate. */
export class TargetHealthRegistry {
  private readonly records = new Map<string, TargetHealth>();

  constructor(
    targets: readonly RouteTarget[],
    private readonly settings: TargetHealthRegistrySettings,
  ) {
    for (const target of targets) this.records.set(target.publicModelId, this.create(target));
  }

  get(target: RouteTarget): TargetHealth {
    let record = this.records.get(target.publicModelId);
    if (record === undefined) {
      // Only plans built outside the resolver (tests, programmatic callers) reach this.
      record = this.create(target);
      this.records.set(target.publicModelId, record);
    }
    return record;
  }

  snapshot(): TargetHealthSnapshot[] {
    return [...this.records.values()].map((record) => record.snapshot());
  }

  private create(target: RouteTarget): TargetHealth {
    const { breaker, latencyWindowSize, monotonicNow, wallNow } = this.settings;
    return new TargetHealth(target, breaker, latencyWindowSize, monotonicNow, wallNow);
  }
}
