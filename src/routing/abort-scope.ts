// Cancellation for one request and for each of its attempts. The request scope joins the
// client's disconnect signal and the overall deadline; each attempt scope adds its own time limit.
// Plain listeners and one timer each, rather than AbortSignal.any/timeout: cheaper, and removed
// deterministically when the request ends instead of waiting for garbage collection.

export type StopReason = 'client' | 'deadline';

// Node fires a timer at once when its delay does not fit 32 bits; longer limits are no limit.
const longestTimerDelay = 2_147_483_647;

function isTimeLimit(milliseconds: number): boolean {
  return Number.isFinite(milliseconds) && milliseconds <= longestTimerDelay;
}

export class RequestAbortScope {
  readonly signal: AbortSignal;
  stopReason: StopReason | undefined;
  private readonly controller = new AbortController();
  private readonly deadlineTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly clientSignal: AbortSignal | undefined;
  private readonly onClientAbort = (): void => this.stop('client');
  private readonly stopListeners: (() => void)[] = [];

  constructor(clientSignal: AbortSignal | undefined, deadlineMilliseconds: number) {
    this.signal = this.controller.signal;
    this.clientSignal = clientSignal;
    if (clientSignal?.aborted === true) {
      this.stop('client');
    } else {
      clientSignal?.addEventListener('abort', this.onClientAbort, { once: true });
    }
    if (isTimeLimit(deadlineMilliseconds) && !this.signal.aborted) {
      const timer = setTimeout(() => this.stop('deadline'), Math.max(0, deadlineMilliseconds));
      timer.unref();
      this.deadlineTimer = timer;
    }
  }

  /** Runs once when the request is stopped, at once if it already was. */
  onStop(listener: () => void): void {
    if (this.stopReason !== undefined) listener();
    else this.stopListeners.push(listener);
  }

  stop(reason: StopReason): void {
    if (this.stopReason !== undefined) return;
    this.stopReason = reason;
    this.controller.abort(reason === 'client' ? new Error('The client closed the request.') : new Error('The request deadline passed.'));
    for (const listener of this.stopListeners.splice(0)) listener();
  }

  dispose(): void {
    if (this.deadlineTimer !== undefined) clearTimeout(this.deadlineTimer);
    this.clientSignal?.removeEventListener('abort', this.onClientAbort);
    this.stopListeners.length = 0;
  }
}

export class AttemptAbortScope {
  readonly signal: AbortSignal;
  timedOut = false;
  private readonly controller = new AbortController();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly onParentAbort = (): void => this.controller.abort(this.parent.signal.reason);
  /** Rejects when this attempt is aborted, so an adapter that ignores its signal cannot hang us. */
  readonly aborted: Promise<never>;

  constructor(
    private readonly parent: RequestAbortScope,
    readonly timeoutMilliseconds: number,
  ) {
    this.signal = this.controller.signal;
    this.aborted = new Promise<never>((_, reject) => {
      this.signal.addEventListener('abort', () => reject(this.signal.reason), { once: true });
    });
    // Nobody may be racing this promise when it rejects; that is not an unhandled failure.
    this.aborted.catch(() => undefined);
    if (parent.signal.aborted) {
      this.onParentAbort();
      return;
    }
    parent.signal.addEventListener('abort', this.onParentAbort, { once: true });
    if (isTimeLimit(timeoutMilliseconds)) {
      this.timer = setTimeout(() => {
        this.timedOut = true;
        this.controller.abort(new Error(`The attempt ran past ${timeoutMilliseconds} ms.`));
      }, Math.max(0, timeoutMilliseconds));
      this.timer.unref();
    }
  }

  /** Lifts the attempt's own time limit (a stream that has started answering); the deadline stays. */
  clearTimeLimit(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Aborts the upstream call, for example when the consumer of a stream stops reading. */
  abort(): void {
    this.controller.abort(new Error('The stream was abandoned.'));
  }

  dispose(): void {
    this.clearTimeLimit();
    this.parent.signal.removeEventListener('abort', this.onParentAbort);
  }

  /** Awaits `work`, but gives up as soon as this attempt is aborted. */
  race<Value>(work: Promise<Value>): Promise<Value> {
    return Promise.race([work, this.aborted]);
  }
}
