// Runs a RoutePlan so requests survive failures: targets in strategy order, retries with
// exponential backoff and full jitter, circuit breakers, per-attempt and overall time limits,
// and exactly one usage event per request. Streams are never retried once a part went out.
import type { ChatCompletion, ChatCompletionRequest, Usage } from '../api/index.js';
import { countCompletionTokens, countPromptTokens } from '../api/token-counting.js';
import { ModelmartError, type Clock, type Logger } from '../core/index.js';
import type { CompletionRequest, EmbeddingsRequest, EmbeddingsResult, ProviderAdapter, ProviderCallContext } from '../providers/provider-contract.js';
import { AttemptAbortScope, RequestAbortScope } from './abort-scope.js';
import { attemptTimedOut, classifyFailure } from './attempt-failure.js';
import { allChatTargetsFit, allTargetsFit, checkContextWindows, type ContextWindowCheck } from './context-window-check.js';
import { clientClosedRequest, deadlineExceeded, RequestRun, type AttemptRecord, type RouteExecutionOptions } from './request-run.js';
import type { RoutePlan, RouteTarget } from './route-plan.js';
import type { RouterSettings } from './router-settings.js';
import { orderTargets, type RandomSource } from './routing-strategies.js';
import { openStreamExecution, type StreamChatExecution } from './stream-execution.js';
import type { TargetHealthRegistry } from './target-health.js';
import { noTokens, tokenCountsFromUsage, type TokenCounts, type UsageListener } from './usage-event.js';

/** Waits, or rejects as soon as the signal aborts. Injectable so tests need not wait. */
export type Sleep = (milliseconds: number, signal: AbortSignal) => Promise<void>;

export const timerSleep: Sleep = (milliseconds, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, milliseconds);
    signal.addEventListener('abort', onAbort, { once: true });
  });

export interface RouteExecutorDependencies {
  readonly getAdapter: (providerId: string) => ProviderAdapter;
  readonly health: TargetHealthRegistry;
  readonly settings: RouterSettings;
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly sleep: Sleep;
  readonly onUsage?: UsageListener | undefined;
  readonly logger?: Pick<Logger, 'error'> | undefined;
}

export interface ChatExecutionResult {
  readonly completion: ChatCompletion;
  /** The deployment that answered. */
  readonly target: RouteTarget;
  readonly attempts: readonly AttemptRecord[];
  readonly latencyMilliseconds: number;
  /** The upstream's usage, or counted here when it sent none. */
  readonly usage: Usage;
  /** Parameters the answering adapter dropped because its upstream does not support them. */
  readonly warnings: readonly string[];
}

export interface EmbeddingsExecutionResult {
  readonly result: EmbeddingsResult;
  readonly target: RouteTarget;
  readonly attempts: readonly AttemptRecord[];
}

export interface CompletionExecutionResult {
  /** The legacy completion body, OpenAI-shaped, as the upstream gave it. */
  readonly body: Record<string, unknown>;
  readonly target: RouteTarget;
  readonly attempts: readonly AttemptRecord[];
  readonly warnings: readonly string[];
}

export interface RouteExecutor {
  /** Embeddings, with the same retries, fallbacks and breakers as chat. */
  executeEmbeddings(plan: RoutePlan, request: EmbeddingsRequest, options: RouteExecutionOptions): Promise<EmbeddingsExecutionResult>;
  /** Legacy completions, for upstreams that still offer them. */
  executeCompletion(plan: RoutePlan, request: CompletionRequest, options: RouteExecutionOptions): Promise<CompletionExecutionResult>;
  executeChat(plan: RoutePlan, request: ChatCompletionRequest, options: RouteExecutionOptions): Promise<ChatExecutionResult>;
  /** Resolves once the first part arrived (so errors before it can still be HTTP errors). */
  executeStreamChat(plan: RoutePlan, request: ChatCompletionRequest, options: RouteExecutionOptions): Promise<StreamChatExecution>;
}

/** The outcome of the attempt loop: the answer, and the still-open scope of the attempt that gave it. */
export interface AttemptSuccess<Answer> {
  readonly answer: Answer;
  readonly target: RouteTarget;
  readonly attempt: AttemptAbortScope;
  readonly latencyMilliseconds: number;
  readonly warnings: string[];
}

type AttemptCall<Answer> = (adapter: ProviderAdapter, target: RouteTarget, context: ProviderCallContext, attempt: AttemptAbortScope) => Promise<Answer>;

export function createRouteExecutor(dependencies: RouteExecutorDependencies): RouteExecutor {
  const { getAdapter, health, settings, clock, random, sleep } = dependencies;
  const now = (): number => clock.monotonicMilliseconds();
  const latencyOf = (target: RouteTarget): number | undefined => health.get(target).averageLatency();

  function stopError(run: RequestRun<unknown>, scope: RequestAbortScope, deadline: number): ModelmartError {
    return scope.stopReason === 'client' ? clientClosedRequest() : deadlineExceeded(run, deadline);
  }

  function allTargetsFailed(run: RequestRun<unknown>, retryAfterMilliseconds: number | undefined): ModelmartError {
    const headers = retryAfterMilliseconds === undefined ? {} : { 'retry-after': String(Math.max(1, Math.ceil(retryAfterMilliseconds / 1000))) };
    const failed = run.attempts.filter((attempt) => attempt.outcome === 'failed');
    // Every upstream said "too many requests": the client should back off (SDKs do on 429),
    // not treat the model as down.
    if (failed.length > 0 && failed.every((attempt) => attempt.status === 429)) {
      return new ModelmartError(429, `Every target for model '${run.plan.publicName}' is rate limited: ${run.describeAttempts()}`, {
        code: 'rate_limit_exceeded',
        headers,
      });
    }
    return new ModelmartError(503, `All targets for model '${run.plan.publicName}' failed: ${run.describeAttempts()}`, { code: 'all_targets_failed', headers });
  }

  /** How long to wait before retrying the same target, or undefined to move on to the next one. */
  function retryDelay(retryIndex: number, retryAfterMilliseconds: number | undefined, remaining: number): number | undefined {
    if (retryIndex >= settings.maxRetriesPerTarget) return undefined;
    let delay: number;
    if (retryAfterMilliseconds !== undefined) {
      if (retryAfterMilliseconds > settings.maxRetryAfterMilliseconds) return undefined;
      delay = retryAfterMilliseconds;
    } else {
      delay = random() * Math.min(settings.maxBackoffMilliseconds, settings.initialBackoffMilliseconds * 2 ** retryIndex);
    }
    return delay < remaining ? delay : undefined;
  }

  async function runAttempts<Answer>(
    run: RequestRun<unknown>,
    scope: RequestAbortScope,
    deadline: number,
    fit: ContextWindowCheck,
    call: AttemptCall<Answer>,
  ): Promise<AttemptSuccess<Answer>> {
    if (scope.stopReason !== undefined) throw stopError(run, scope, deadline);
    run.promptTokens = fit.promptTokens ?? run.options.promptTokens;
    let retryAfterHint: number | undefined;
    const hint = (milliseconds: number): void => {
      retryAfterHint = retryAfterHint === undefined ? milliseconds : Math.min(retryAfterHint, milliseconds);
    };

    for (const target of orderTargets(run.plan, random, latencyOf)) {
      const skipReason = fit.skipReason(target);
      if (skipReason !== undefined) {
        run.attempts.push({ target: target.publicModelId, outcome: 'skipped', description: `skipped: ${skipReason}`, latencyMilliseconds: 0 });
        continue;
      }
      const record = health.get(target);
      for (let retryIndex = 0; ; retryIndex += 1) {
        if (!record.breaker.tryAcquire()) {
          hint(record.breaker.millisecondsUntilProbe());
          run.attempts.push({ target: target.publicModelId, outcome: 'skipped', description: 'skipped: circuit open', latencyMilliseconds: 0 });
          break;
        }
        run.currentTarget = target;
        run.upstreamCalls += 1;
        const attemptStartedAt = now();
        const timeLimit = target.timeoutMilliseconds ?? settings.attemptTimeoutMilliseconds;
        const attempt = new AttemptAbortScope(scope, timeLimit);
        const warnings: string[] = [];
        try {
          const context: ProviderCallContext = { signal: attempt.signal, requestId: run.options.requestId, warnings };
          const answer = await attempt.race(call(getAdapter(target.providerId), target, context, attempt));
          const latencyMilliseconds = now() - attemptStartedAt;
          record.recordSuccess(latencyMilliseconds);
          run.attempts.push({ target: target.publicModelId, outcome: 'ok', latencyMilliseconds });
          return { answer, target, attempt, latencyMilliseconds, warnings };
        } catch (error) {
          attempt.dispose();
          if (scope.stopReason !== undefined) {
            // The client left or the deadline passed: no verdict on the target, and no more tries.
            record.breaker.release();
            run.attempts.push({ target: target.publicModelId, outcome: 'failed', description: scope.stopReason === 'client' ? 'client closed the request' : 'deadline passed', latencyMilliseconds: now() - attemptStartedAt });
            throw stopError(run, scope, deadline);
          }
          const failure = attempt.timedOut ? attemptTimedOut(timeLimit) : classifyFailure(error);
          run.attempts.push({ target: target.publicModelId, outcome: 'failed', status: failure.status, description: failure.description, latencyMilliseconds: now() - attemptStartedAt });
          if (failure.countsAgainstTarget) record.recordFailure(failure.description);
          else record.breaker.release();
          if (failure.disposition === 'return') throw failure.error;
          if (failure.retryAfterMilliseconds !== undefined) hint(failure.retryAfterMilliseconds);
          if (failure.disposition === 'next-target') break;
          const delay = retryDelay(retryIndex, failure.retryAfterMilliseconds, deadline - run.elapsed());
          if (delay === undefined) break;
          try {
            await sleep(delay, scope.signal);
          } catch {
            throw stopError(run, scope, deadline);
          }
        }
      }
    }
    throw allTargetsFailed(run, retryAfterHint);
  }

  function startRun<Request>(plan: RoutePlan, request: Request, options: RouteExecutionOptions): { run: RequestRun<Request>; scope: RequestAbortScope; deadline: number } {
    const run = new RequestRun(plan, request, options, dependencies);
    const deadline = options.deadlineMilliseconds ?? settings.deadlineMilliseconds;
    return { run, scope: new RequestAbortScope(options.signal, deadline), deadline };
  }

  function reportFailure(run: RequestRun<unknown>, scope: RequestAbortScope, error: unknown): void {
    if (scope.stopReason === 'client') run.report('cancelled', noTokens);
    else run.report('error', noTokens, error instanceof ModelmartError ? error.code : 'internal_error');
  }

  function unsupported(target: RouteTarget, what: string): ModelmartError {
    return new ModelmartError(400, `${target.publicModelId} does not offer ${what}.`, { code: 'model_not_supported', param: 'model' });
  }

  function legacyCompletionCounts(body: Record<string, unknown>): TokenCounts {
    const usage = body.usage as Partial<Usage> | undefined;
    const promptTokens = typeof usage?.prompt_tokens === 'number' ? usage.prompt_tokens : 0;
    const completionTokens = typeof usage?.completion_tokens === 'number' ? usage.completion_tokens : 0;
    return { ...noTokens, promptTokens, completionTokens, estimated: usage === undefined };
  }

  return {
    async executeEmbeddings(plan, request, options) {
      const { run, scope, deadline } = startRun(plan, request, options);
      try {
        const success = await runAttempts(run, scope, deadline, allTargetsFit, (adapter, target, context) => {
          if (adapter.embed === undefined) throw unsupported(target, 'embeddings');
          return adapter.embed(request, target.upstreamModel, context);
        });
        success.attempt.dispose();
        const { usage } = success.answer;
        run.report('ok', { ...noTokens, promptTokens: usage.prompt_tokens });
        return { result: success.answer, target: success.target, attempts: run.attempts };
      } catch (error) {
        reportFailure(run, scope, error);
        throw error;
      } finally {
        scope.dispose();
      }
    },

    async executeCompletion(plan, request, options) {
      const { run, scope, deadline } = startRun(plan, request, options);
      try {
        const success = await runAttempts(run, scope, deadline, allChatTargetsFit, (adapter, target, context) => {
          if (adapter.complete === undefined) throw unsupported(target, 'the legacy completions API; use /v1/chat/completions');
          return adapter.complete(request, target.upstreamModel, context);
        });
        success.attempt.dispose();
        run.report('ok', legacyCompletionCounts(success.answer));
        return { body: success.answer, target: success.target, attempts: run.attempts, warnings: success.warnings };
      } catch (error) {
        reportFailure(run, scope, error);
        throw error;
      } finally {
        scope.dispose();
      }
    },

    async executeChat(plan, request, options) {
      const { run, scope, deadline } = startRun(plan, request, options);
      try {
        const success = await runAttempts(run, scope, deadline, checkContextWindows(plan, request, options.promptTokens), (adapter, target, context) =>
          adapter.chat(request, target.upstreamModel, context),
        );
        success.attempt.dispose();
        const completion = success.answer;
        let usage = completion.usage;
        let counts: TokenCounts;
        if (usage === undefined) {
          const promptTokens = run.promptTokens ?? countPromptTokens(request);
          const completionTokens = countCompletionTokens(completion);
          usage = { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
          counts = { ...tokenCountsFromUsage(usage), estimated: true };
        } else {
          counts = tokenCountsFromUsage(usage);
        }
        run.report('ok', counts);
        return { completion, target: success.target, attempts: run.attempts, latencyMilliseconds: run.elapsed(), usage, warnings: success.warnings };
      } catch (error) {
        reportFailure(run, scope, error);
        throw error;
      } finally {
        scope.dispose();
      }
    },

    async executeStreamChat(plan, request, options) {
      const { run, scope, deadline } = startRun(plan, request, options);
      try {
        const success = await runAttempts(run, scope, deadline, checkContextWindows(plan, request, options.promptTokens), async (adapter, target, context, attempt) => {
          const iterator = adapter.streamChat(request, target.upstreamModel, context)[Symbol.asyncIterator]();
          try {
            const first = await attempt.race(iterator.next());
            if (first.done === true) throw new ModelmartError(502, 'the upstream ended the stream without any output', { code: 'upstream_empty_stream', type: 'upstream_error' });
            return { iterator, first: first.value };
          } catch (error) {
            // Let the adapter close its connection; its own failure to do so changes nothing here.
            iterator.return?.().catch(() => undefined);
            throw error;
          }
        });
        success.attempt.clearTimeLimit();
        return openStreamExecution({
          run,
          scope,
          deadline,
          attempt: success.attempt,
          target: success.target,
          iterator: success.answer.iterator,
          firstPart: success.answer.first,
          timeToFirstPartMilliseconds: run.elapsed(),
          warnings: success.warnings,
          health: health.get(success.target),
        });
      } catch (error) {
        reportFailure(run, scope, error);
        scope.dispose();
        throw error;
      }
    },
  };
}
