// A stream whose first part has arrived: from here on nothing is retried or sent elsewhere
// (that would duplicate output), failures are rethrown, and whether the stream ends, breaks,
// or is abandoned by its consumer, its usage is reported once, for what was produced.
import type { Usage } from '../api/index.js';
import { countPromptTokens } from '../api/token-counting.js';
import type { StreamPart } from '../providers/provider-contract.js';
import type { AttemptAbortScope, RequestAbortScope } from './abort-scope.js';
import { classifyFailure } from './attempt-failure.js';
import { clientClosedRequest, deadlineExceeded, type AttemptRecord, type RequestRun } from './request-run.js';
import type { RouteTarget } from './route-plan.js';
import type { TargetHealth } from './target-health.js';
import { StreamUsageMeter, tokenCountsFromUsage, type TokenCounts, type UsageEvent } from './usage-event.js';

export interface StreamChatExecution {
  /** The deployment that answered. */
  readonly target: RouteTarget;
  readonly attempts: readonly AttemptRecord[];
  readonly timeToFirstPartMilliseconds: number;
  readonly warnings: readonly string[];
  /**
   * The answer, first part included; iterate it once. It always ends with exactly one `usage`
   * part (the upstream's, or counted here when it sent none), so the server can honour
   * `stream_options.include_usage` by writing that part or dropping it.
   */
  readonly parts: AsyncIterable<StreamPart>;
  /** Stops the upstream and reports what was produced as cancelled; for a consumer that will not read. */
  cancel(): void;
}

export interface OpenStreamInput {
  readonly run: RequestRun;
  readonly scope: RequestAbortScope;
  readonly deadline: number;
  readonly attempt: AttemptAbortScope;
  readonly target: RouteTarget;
  readonly iterator: AsyncIterator<StreamPart>;
  readonly firstPart: StreamPart;
  readonly timeToFirstPartMilliseconds: number;
  readonly warnings: readonly string[];
  readonly health: TargetHealth;
}

export function openStreamExecution(input: OpenStreamInput): StreamChatExecution {
  const { run, scope, attempt, iterator, health, timeToFirstPartMilliseconds } = input;
  const meter = new StreamUsageMeter();
  let finished = false;

  const estimatedUsage = (): Usage => {
    run.promptTokens ??= countPromptTokens(run.request);
    return meter.usage(run.request, run.promptTokens);
  };
  const counts = (): TokenCounts =>
    meter.hasUpstreamUsage ? tokenCountsFromUsage(meter.usage(run.request)) : { ...tokenCountsFromUsage(estimatedUsage()), estimated: true };

  const finish = (status: UsageEvent['status'], errorCode?: string | null): void => {
    if (finished) return;
    finished = true;
    attempt.dispose();
    scope.dispose();
    run.report(status, counts(), errorCode, timeToFirstPartMilliseconds);
  };

  const closeUpstream = (): void => {
    attempt.abort();
    // The adapter's cleanup is best effort: the abort above already stops its upstream call.
    iterator.return?.().catch(() => undefined);
  };

  const stopError = (): Error => (scope.stopReason === 'client' ? clientClosedRequest() : deadlineExceeded(run, input.deadline));

  // The client may leave, or the deadline pass, while nobody is reading: report at once.
  scope.onStop(() => {
    closeUpstream();
    if (scope.stopReason === 'client') finish('cancelled');
    else finish('error', 'deadline_exceeded');
  });

  async function* generate(): AsyncGenerator<StreamPart, void, undefined> {
    try {
      if (finished) {
        if (scope.stopReason !== undefined) throw stopError();
        return;
      }
      meter.observe(input.firstPart);
      yield input.firstPart;
      for (;;) {
        if (finished) {
          if (scope.stopReason !== undefined) throw stopError();
          return;
        }
        // No race against the abort signal per part: adapters stop their upstream on that signal
        // (which ends this read), and a promise race for every streamed token is costly.
        const next = await iterator.next();
        if (next.done === true) break;
        meter.observe(next.value);
        yield next.value;
      }
      const synthesized = meter.hasUpstreamUsage ? undefined : estimatedUsage();
      // The answer is complete: a consumer that stops before taking the usage part cancels nothing.
      finish('ok');
      if (synthesized !== undefined) yield { type: 'usage', usage: synthesized };
    } catch (error) {
      if (scope.stopReason !== undefined) {
        finish(scope.stopReason === 'client' ? 'cancelled' : 'error', scope.stopReason === 'client' ? undefined : 'deadline_exceeded');
        throw stopError();
      }
      // cancel() was called while a read was pending: the consumer asked for this end.
      if (finished) return;
      const failure = classifyFailure(error);
      health.recordFailure(failure.description);
      finish('error', failure.code);
      throw failure.error;
    } finally {
      if (!finished) {
        // The consumer stopped reading (a break, or the response was closed).
        closeUpstream();
        finish('cancelled');
      }
    }
  }

  return {
    target: input.target,
    attempts: run.attempts,
    timeToFirstPartMilliseconds,
    warnings: input.warnings,
    parts: generate(),
    cancel() {
      if (finished) return;
      closeUpstream();
      finish('cancelled');
    },
  };
}
