// The shared limiter: buckets in Redis, one EVALSHA per take (check every bucket, then take from
// all or none), so any number of replicas enforce one limit exactly. Far from a limit a server takes
// chunks of a bucket at once and admits from them locally (rate-limit-leases.ts); near it, every
// admit is one EVALSHA. Token corrections are summed and sent every few milliseconds.
// When Redis cannot be reached it fails open: requests go through unlimited, a warning is logged
// at most once a minute and failOpenCount counts them, because an outage of the limiter must not
// take the gateway down with it.
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { z } from 'zod';
import { createLogger, systemClock, type Clock, type Logger } from '../../core/index.js';
import type { LimitCheck, LimitDecision, ObservableRateLimiter } from './rate-limit-contract.js';
import { decide, unlimitedDecision } from './rate-limit-decision.js';
import { BucketLeases, type SharedTake } from './rate-limit-leases.js';
import { adjustEachScript, admitScript } from './redis-bucket-scripts.js';
import { normaliseTokenCount, planBuckets, planTokenBuckets, type BucketPlan } from './token-bucket.js';

export const defaultKeyPrefix = 'modelmart:ratelimit:';
const warningIntervalMilliseconds = 60_000;

interface LoadedScript {
  readonly source: string;
  readonly sha: string;
}

function loadedScript(source: string): LoadedScript {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

/** {1 or 0, then each bucket's level before the request, as text}. */
const admitReplySchema = z.tuple([z.union([z.literal(0), z.literal(1)])], z.string().transform(Number).pipe(z.number()));

export interface RedisRateLimiterOptions {
  readonly redisUrl: string;
  readonly keyPrefix?: string;
  readonly clock?: Clock;
  readonly logger?: Pick<Logger, 'warn'>;
  readonly commandTimeoutMs?: number;
}

export class RedisRateLimiter implements ObservableRateLimiter {
  readonly backend = 'redis';
  private failures = 0;
  private lastWarningAt: number | undefined;
  private connectionFailed = false;
  private readonly redis: Redis;
  private readonly keyPrefix: string;
  private readonly clock: Clock;
  private readonly logger: Pick<Logger, 'warn'>;
  private readonly admitCommand = loadedScript(admitScript);
  private readonly adjustCommand = loadedScript(adjustEachScript);
  private readonly leases: BucketLeases;
  /** Why the last take could not be answered, for the fail-open warning. */
  private lastTakeError: unknown;
  private takes = 0;

  constructor(options: RedisRateLimiterOptions) {
    this.keyPrefix = options.keyPrefix ?? defaultKeyPrefix;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? createLogger('warn');
    this.redis = new Redis(options.redisUrl, {
      // A command waits at most this long, queued or sent; then the request goes through unlimited.
      commandTimeout: options.commandTimeoutMs ?? 1000,
      // Queued commands fail at the first lost connection instead of after 20 reconnects.
      maxRetriesPerRequest: 0,
      enableOfflineQueue: true,
      // Named, so operators find the limiter's connections in CLIENT LIST.
      connectionName: 'modelmart-rate-limits',
    });
    this.redis.on('ready', () => {
      this.connectionFailed = false;
      // Loaded once per connection, so EVALSHA finds them; a NOSCRIPT (flushed or failed-over Redis) falls back to EVAL.
      for (const script of [this.admitCommand, this.adjustCommand]) this.redis.script('LOAD', script.source).catch(() => undefined);
    });
    this.redis.on('error', (error: Error) => {
      this.connectionFailed = true;
      this.warn(error);
    });
    this.redis.on('close', () => {
      this.connectionFailed = true;
    });
    this.leases = new BucketLeases({ take: async (plans, costs) => this.take(plans, costs), adjust: async (plans, deltas) => this.adjust(plans, deltas) });
  }

  get failOpenCount(): number {
    return this.failures;
  }

  /** Takes sent to Redis so far: far from the limits, many admits share one. */
  get sharedTakeCount(): number {
    return this.takes;
  }

  async admit(checks: readonly LimitCheck[], tokens: number): Promise<LimitDecision> {
    const plans = planBuckets(checks, normaliseTokenCount(tokens));
    if (plans.length === 0) return unlimitedDecision;
    if (!this.reachable()) return this.failOpen(undefined);
    const taken = await this.leases.admit(plans);
    if (taken === undefined) return this.failOpen(this.lastTakeError);
    return decide(plans, taken.levels, taken.allowed);
  }

  /** One atomic take from the shared buckets; undefined when Redis could not answer. */
  private async take(plans: readonly BucketPlan[], costs: readonly number[]): Promise<SharedTake | undefined> {
    const values: string[] = [];
    plans.forEach((plan, index) => values.push(String(plan.capacity), String(costs[index] ?? plan.cost)));
    let reply: unknown;
    this.takes += 1;
    try {
      reply = await this.evaluate(this.admitCommand, plans.map((plan) => this.key(plan)), values);
    } catch (error) {
      this.lastTakeError = error;
      return undefined;
    }
    const parsed = admitReplySchema.safeParse(reply);
    if (!parsed.success || parsed.data.length !== plans.length + 1) {
      this.lastTakeError = new Error(`unexpected reply from the admit script: ${JSON.stringify(reply)}`);
      return undefined;
    }
    const [allowed, ...levels] = parsed.data;
    return { allowed: allowed === 1, levels };
  }

  private async adjust(plans: readonly BucketPlan[], deltas: readonly number[]): Promise<void> {
    if (!this.reachable()) {
      this.failOpen(undefined);
      return;
    }
    const values: string[] = [];
    plans.forEach((plan, index) => values.push(String(deltas[index] ?? 0), String(plan.capacity)));
    try {
      await this.evaluate(this.adjustCommand, plans.map((plan) => this.key(plan)), values);
    } catch (error) {
      this.failOpen(error);
    }
  }

  /** Sent with the next batch (within a few milliseconds); resolves once it has been. */
  async adjustTokens(checks: readonly LimitCheck[], tokenDelta: number): Promise<void> {
    if (!Number.isFinite(tokenDelta) || tokenDelta === 0) return;
    const plans = planTokenBuckets(checks);
    if (plans.length === 0) return;
    await this.leases.adjust(plans, tokenDelta);
  }

  async close(): Promise<void> {
    await this.leases.close().catch(() => undefined);
    if (this.redis.status === 'ready') {
      await this.redis.quit().catch(() => this.redis.disconnect());
    } else {
      this.redis.disconnect();
    }
  }

  private key(plan: BucketPlan): string {
    return `${this.keyPrefix}${plan.kind}:${plan.scope}`;
  }

  /** Ready, or still making its first connection (commands queue for at most the command timeout). */
  private reachable(): boolean {
    const status = this.redis.status;
    if (status === 'ready') return true;
    return !this.connectionFailed && (status === 'wait' || status === 'connecting' || status === 'connect');
  }

  private async evaluate(script: LoadedScript, keys: readonly string[], values: readonly string[]): Promise<unknown> {
    try {
      return await this.redis.evalsha(script.sha, keys.length, ...keys, ...values);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return await this.redis.eval(script.source, keys.length, ...keys, ...values);
    }
  }

  private failOpen(error: unknown): LimitDecision {
    this.failures += 1;
    this.warn(error);
    return unlimitedDecision;
  }

  private warn(error: unknown): void {
    const now = this.clock.monotonicMilliseconds();
    if (this.lastWarningAt !== undefined && now - this.lastWarningAt < warningIntervalMilliseconds) return;
    this.lastWarningAt = now;
    this.logger.warn(
      { err: error instanceof Error ? error.message : undefined, failOpenCount: this.failures },
      'rate limits: Redis is unreachable, requests pass without rate limits until it is back',
    );
  }
}
