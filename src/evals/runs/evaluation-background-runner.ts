// Runs started through the admin API work in the server's background: at most a few runs at
// once, each with a bounded number of calls in flight, so evaluations never crowd out traffic.
import type { Logger } from '../../core/index.js';
import type { EvaluationService } from './evaluation-service.js';

export interface BackgroundRunnerOptions {
  readonly maximumActiveRuns?: number;
  readonly maximumConcurrency?: number;
  /**
   * A run this server worked on that is still unfinished afterwards (items claimed by a server
   * that crashed, or by another one still working) is looked at again this much later, until it
   * finishes: a crashed server's claims come back when their lease runs out. Default 30 s.
   */
  readonly retryMilliseconds?: number;
  readonly logger?: Pick<Logger, 'error'> | undefined;
}

export class EvaluationBackgroundRunner {
  private readonly waiting: { readonly runId: string; readonly concurrency: number }[] = [];
  private readonly active = new Map<string, { readonly controller: AbortController; readonly done: Promise<void> }>();
  private readonly retries = new Map<string, ReturnType<typeof setTimeout>>();
  private stopped = false;
  readonly maximumConcurrency: number;
  private readonly maximumActiveRuns: number;

  constructor(
    readonly evaluations: EvaluationService,
    private readonly options: BackgroundRunnerOptions = {},
  ) {
    this.maximumActiveRuns = options.maximumActiveRuns ?? 2;
    this.maximumConcurrency = options.maximumConcurrency ?? 16;
  }

  /** Queues a run for work in this process; it starts when a slot is free. */
  enqueue(runId: string, concurrency: number): void {
    if (this.stopped) return;
    this.waiting.push({ runId, concurrency: Math.min(Math.max(1, concurrency), this.maximumConcurrency) });
    this.startWaiting();
  }

  /**
   * Takes up the runs left queued or running, as a server that stopped mid-run leaves them (it
   * handed its claims back). Items are claimed with leases, so servers that take up the same run
   * share its items rather than answer any twice. Answers the ids taken up.
   */
  async resumeUnfinished(concurrency: number): Promise<readonly string[]> {
    const runIds = await this.evaluations.workableRunIds();
    for (const runId of runIds) if (!this.active.has(runId) && !this.waiting.some((entry) => entry.runId === runId)) this.enqueue(runId, concurrency);
    return runIds;
  }

  /** Stops this process's work on a run (its claims are handed back). */
  abort(runId: string): void {
    clearTimeout(this.retries.get(runId));
    this.retries.delete(runId);
    this.active.get(runId)?.controller.abort();
    const index = this.waiting.findIndex((entry) => entry.runId === runId);
    if (index >= 0) this.waiting.splice(index, 1);
  }

  private startWaiting(): void {
    while (!this.stopped && this.active.size < this.maximumActiveRuns) {
      const next = this.waiting.shift();
      if (next === undefined) return;
      const controller = new AbortController();
      const done = this.evaluations
        .work(next.runId, { concurrency: next.concurrency, signal: controller.signal })
        .then(
          (view) => {
            if (view.status === 'running' && !controller.signal.aborted) this.retryLater(next.runId, next.concurrency);
          },
          (error: unknown) => this.options.logger?.error({ err: error, runId: next.runId }, 'background evaluation run failed'),
        )
        .finally(() => {
          this.active.delete(next.runId);
          this.startWaiting();
        });
      this.active.set(next.runId, { controller, done });
    }
  }

  private retryLater(runId: string, concurrency: number): void {
    if (this.stopped || this.retries.has(runId)) return;
    const timer = setTimeout(() => {
      this.retries.delete(runId);
      if (!this.active.has(runId) && !this.waiting.some((entry) => entry.runId === runId)) this.enqueue(runId, concurrency);
    }, this.options.retryMilliseconds ?? 30_000);
    timer.unref();
    this.retries.set(runId, timer);
  }

  /** On shutdown: no new work, running work stops and hands its claims back (resumable later). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.waiting.length = 0;
    for (const timer of this.retries.values()) clearTimeout(timer);
    this.retries.clear();
    const running = [...this.active.values()];
    for (const entry of running) entry.controller.abort();
    await Promise.all(running.map((entry) => entry.done));
  }
}
