// The state of one request while the executor works on it: what was tried, which deployment
// is current, and the guarantee that exactly one usage event is reported, whatever happens.
import type { ChatCompletionRequest } from '../api/index.js';
import type { Clock, Logger } from '../core/index.js';
import { ModelmartError } from '../core/index.js';
import type { CancellationSignal } from './abort-scope.js';
import type { RoutePlan, RouteTarget } from './route-plan.js';
import type { TokenCounts, UsageEvent, UsageListener } from './usage-event.js';

export interface AttemptRecord {
  /** `<provider id>/<model>` of the deployment. */
  readonly target: string;
  /** `skipped`: not called at all (open circuit, too small a context window). */
  readonly outcome: 'ok' | 'failed' | 'skipped';
  readonly status?: number;
  readonly description?: string;
  readonly latencyMilliseconds: number;
}

export interface RouteExecutionOptions {
  readonly requestId: string;
  /** The client's disconnect signal: aborting it aborts the upstream call and stops the loop. */
  readonly signal?: CancellationSignal | undefined;
  /** This request's overall deadline, overriding the router's. */
  readonly deadlineMilliseconds?: number | undefined;
  /** The prompt's tokens when the caller already counted them (for billing), so they are not counted twice. */
  readonly promptTokens?: number | undefined;
  /** Called with this request's usage event (after the router's own listener): billing settles here. */
  readonly onUsage?: UsageListener | undefined;
}

export interface UsageReporting {
  readonly clock: Clock;
  readonly onUsage?: UsageListener | undefined;
  readonly logger?: Pick<Logger, 'error'> | undefined;
}

/** `Request` is the client's request: a chat completion, or embeddings / legacy completion input. */
export class RequestRun<Request = ChatCompletionRequest> {
  readonly attempts: AttemptRecord[] = [];
  readonly startedAt: number;
  upstreamCalls = 0;
  /** The deployment that answered, or the last one tried. */
  currentTarget: RouteTarget | undefined;
  promptTokens: number | undefined;
  private reported = false;

  constructor(
    readonly plan: RoutePlan,
    readonly request: Request,
    readonly options: RouteExecutionOptions,
    private readonly reporting: UsageReporting,
  ) {
    this.startedAt = reporting.clock.monotonicMilliseconds();
  }

  elapsed(): number {
    return this.reporting.clock.monotonicMilliseconds() - this.startedAt;
  }

  /** `<target>: <what happened>` for every attempt, for error messages. */
  describeAttempts(): string {
    return this.attempts.map((attempt) => `${attempt.target}: ${attempt.description ?? attempt.outcome}`).join('; ');
  }

  /** Reports the request's usage event; every call after the first is ignored. */
  report(status: UsageEvent['status'], counts: TokenCounts, errorCode?: string | null, timeToFirstTokenMilliseconds?: number): void {
    if (this.reported) return;
    this.reported = true;
    const listener = this.reporting.onUsage;
    const requestListener = this.options.onUsage;
    if (listener === undefined && requestListener === undefined) return;
    const target = this.currentTarget ?? this.plan.targets[0];
    const event: UsageEvent = {
      requestId: this.options.requestId,
      publicModel: this.plan.publicName,
      providerId: target?.providerId ?? '',
      upstreamModel: target?.upstreamModel ?? '',
      promptTokens: counts.promptTokens,
      completionTokens: counts.completionTokens,
      cachedTokens: counts.cachedTokens,
      reasoningTokens: counts.reasoningTokens,
      estimated: counts.estimated,
      latencyMs: this.elapsed(),
      status,
      attempts: this.upstreamCalls,
      ...(timeToFirstTokenMilliseconds === undefined ? {} : { timeToFirstTokenMs: timeToFirstTokenMilliseconds }),
      ...(errorCode === undefined || errorCode === null ? {} : { errorCode }),
    };
    if (listener !== undefined) this.notify(listener, event);
    if (requestListener !== undefined) this.notify(requestListener, event);
  }

  // A failing listener must not fail the request it describes, nor go unnoticed.
  private notify(listener: UsageListener, event: UsageEvent): void {
    try {
      const pending = listener(event);
      if (pending !== undefined) pending.catch((error: unknown) => this.logUsageFailure(error, event));
    } catch (error) {
      this.logUsageFailure(error, event);
    }
  }

  private logUsageFailure(error: unknown, event: UsageEvent): void {
    this.reporting.logger?.error({ err: error, requestId: event.requestId }, 'usage listener failed');
  }
}

export function clientClosedRequest(): ModelmartError {
  return new ModelmartError(499, 'The client closed the request before it completed.', { code: 'client_closed_request', retryable: false });
}

export function deadlineExceeded(run: RequestRun<unknown>, deadlineMilliseconds: number): ModelmartError {
  const tried = run.attempts.length === 0 ? '' : ` Attempts: ${run.describeAttempts()}.`;
  return new ModelmartError(504, `No answer for model '${run.plan.publicName}' within the request deadline of ${deadlineMilliseconds} ms.${tried}`, {
    code: 'deadline_exceeded',
  });
}
