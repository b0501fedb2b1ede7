// Works through a run's items: claims a batch, answers each (from the cache, else through the
// gateway with bounded retries on transient failures), scores it and stores it, with a fixed
// number of calls in flight. Any number of processes can do this on one run at once.
import { createHash } from 'node:crypto';
import { ModelmartError, newRequestId, type Clock } from '../../core/index.js';
import type { BenchmarkName } from '../score/benchmark-scorer.js';
import type { EvaluationGateway } from './evaluation-gateway.js';
import type { EvaluationRepository, ItemRow } from './evaluation-repository.js';
import { itemRequestSchema, type ChatRequestBody } from './evaluation-run-schema.js';
import { scoreItem, truncateAtStop } from './evaluation-item-scorer.js';
import type { ModelPrice } from './evaluation-pricing.js';
import { costOf } from './evaluation-pricing.js';

/** What a call is about, for hooks that meter or limit evaluation traffic (billing attaches here). */
export interface EvaluationCallContext {
  readonly runId: string;
  readonly model: string;
  readonly itemId: string;
  readonly sampleIndex: number;
  readonly requestId: string;
}

export interface EvaluationCallUsage extends EvaluationCallContext {
  readonly promptTokens: number;
  readonly completionTokens: number;
  /** Micro-units of the catalogue price's currency; 0 when the model has no known price. */
  readonly cost: number;
}

/**
 * Optional hooks around every upstream call an evaluation makes (cache hits make none). A
 * `beforeCall` that throws fails the item with that error (a 402 or 429 from a budget check, say).
 */
export interface EvaluationHooks {
  readonly beforeCall?: (context: EvaluationCallContext) => Promise<void> | void;
  readonly afterCall?: (usage: EvaluationCallUsage) => Promise<void> | void;
}

export interface ItemEvent {
  readonly status: 'done' | 'failed';
  readonly correct: boolean | null;
  readonly cached: boolean;
  readonly cost: number;
}

export interface ProcessorOptions {
  readonly repository: EvaluationRepository;
  readonly gateway: EvaluationGateway;
  readonly runId: string;
  readonly model: string;
  readonly benchmark: BenchmarkName;
  readonly workerId: string;
  readonly concurrency: number;
  readonly leaseMilliseconds: number;
  readonly price: ModelPrice | null;
  readonly clock: Clock;
  readonly hooks?: EvaluationHooks | undefined;
  readonly onItem?: ((event: ItemEvent) => void) | undefined;
  /** Stops claiming; calls in flight are aborted and their items handed back. */
  readonly signal?: AbortSignal | undefined;
  /** Tries per item for transient failures (429, 5xx, timeouts, network). */
  readonly maximumAttempts?: number;
  readonly sleep?: (milliseconds: number) => Promise<void>;
  /** Checked between batches: false stops the work (the run was cancelled). */
  readonly shouldContinue?: () => Promise<boolean>;
}

/** The cache key: the model and everything that decides its answer. */
export function cacheKey(model: string, body: ChatRequestBody): string {
  return createHash('sha256').update(JSON.stringify([model, body.messages ?? null, body.prompt ?? null, body.temperature, body.max_tokens, body.stop ?? [], body.seed ?? null])).digest('hex');
}

function isTransient(error: unknown): boolean {
  if (error instanceof ModelmartError) return error.retryable || error.status === 408 || error.status === 429 || error.status >= 500;
  // Network failures and timeouts below the router arrive as plain errors.
  return true;
}

function describe(error: unknown): string {
  if (error instanceof ModelmartError) return `${error.status} ${error.code ?? error.type}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

const defaultSleep = (milliseconds: number) => new Promise<void>((resolve) => setTimeout(resolve, milliseconds));

export class EvaluationItemProcessor {
  private queue: ItemRow[] = [];
  private fetching: Promise<void> | undefined;
  private exhausted = false;

  constructor(private readonly options: ProcessorOptions) {}

  /** Works until no item is left to claim (or the signal aborts). */
  async run(): Promise<void> {
    const lanes = Array.from({ length: Math.max(1, this.options.concurrency) }, () => this.lane());
    try {
      await Promise.all(lanes);
    } finally {
      // Whatever was claimed but not started goes back for others.
      if (this.queue.length > 0 || this.options.signal?.aborted === true) {
        this.queue = [];
        await this.options.repository.releaseClaims(this.options.runId, [this.options.workerId]);
      }
    }
  }

  private async lane(): Promise<void> {
    for (;;) {
      if (this.options.signal?.aborted === true) return;
      const item = await this.next();
      if (item === undefined) return;
      await this.process(item);
    }
  }

  private async next(): Promise<ItemRow | undefined> {
    while (this.queue.length === 0) {
      if (this.exhausted) return undefined;
      this.fetching ??= this.fetch().finally(() => {
        this.fetching = undefined;
      });
      await this.fetching;
    }
    return this.queue.shift();
  }

  private async fetch(): Promise<void> {
    const { repository, runId, workerId, clock, concurrency, leaseMilliseconds } = this.options;
    if (this.options.shouldContinue !== undefined && !(await this.options.shouldContinue())) {
      this.exhausted = true;
      return;
    }
    const now = clock.now();
    const cutoff = new Date(now.getTime() - leaseMilliseconds).toISOString();
    const claimed = await repository.claimItems(runId, workerId, Math.max(8, concurrency * 2), now.toISOString(), cutoff);
    if (claimed.length === 0) this.exhausted = true;
    this.queue.push(...claimed);
  }

  private async process(item: ItemRow): Promise<void> {
    const { repository, model, benchmark, workerId, clock, hooks } = this.options;
    const request = itemRequestSchema.parse(JSON.parse(item.request));
    const key = cacheKey(model, request.body);
    let text: string;
    let promptTokens: number;
    let completionTokens: number;
    let cached = false;
    let cost = 0;
    try {
      const hit = await repository.cachedResponse(key);
      if (hit !== undefined) {
        ({ response: text, prompt_tokens: promptTokens, completion_tokens: completionTokens } = hit);
        cached = true;
      } else {
        const context: EvaluationCallContext = { runId: item.run_id, model, itemId: item.item_id, sampleIndex: item.sample_index, requestId: newRequestId() };
        await hooks?.beforeCall?.(context);
        const answer = await this.callWithRetries(model, request.body, context.requestId);
        ({ text, promptTokens, completionTokens } = answer);
        cost = costOf(this.options.price, promptTokens, completionTokens);
        await hooks?.afterCall?.({ ...context, promptTokens, completionTokens, cost });
        await repository.storeCachedResponse({ key, model, response: text, prompt_tokens: promptTokens, completion_tokens: completionTokens, created_at: clock.now().toISOString() });
      }
    } catch (error) {
      if (this.options.signal?.aborted === true) return;
      const failed = await repository.failItem(item, workerId, describe(error), clock.now().toISOString());
      if (failed) this.options.onItem?.({ status: 'failed', correct: null, cached: false, cost: 0 });
      return;
    }
    const score = scoreItem(benchmark, truncateAtStop(text, request.stop), request.reference);
    const recorded = await repository.completeItem(
      item,
      workerId,
      { response: text, score: JSON.stringify(score), promptTokens, completionTokens, cost, cached },
      clock.now().toISOString(),
    );
    if (recorded) this.options.onItem?.({ status: 'done', correct: score.correct, cached, cost });
  }

  private async callWithRetries(model: string, body: ChatRequestBody, requestId: string) {
    const attempts = this.options.maximumAttempts ?? 4;
    const sleep = this.options.sleep ?? defaultSleep;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.options.gateway.chat(model, body, { requestId: attempt === 1 ? requestId : `${requestId}-${attempt}`, ...(this.options.signal === undefined ? {} : { signal: this.options.signal }) });
      } catch (error) {
        if (attempt >= attempts || !isTransient(error) || this.options.signal?.aborted === true) throw error;
        // Exponential backoff with full jitter, on top of the router's own retries of one call.
        await sleep(Math.random() * 500 * 2 ** (attempt - 1));
      }
    }
  }
}
