// Cancellation for one request and for each of its attempts. The request scope joins the
// client's disconnect signal and the overall deadline; each attempt scope adds its own time limit.
// Plain listeners and one timer each, rather than AbortSignal.any/timeout: cheaper, and removed
// deterministically when the request ends instead of waiting for garbage collection. Only the
// attempt, whose signal the upstream client needs, owns an AbortController; the request scope
// makes one only if something asks for its signal (a backoff wait), which is rare.

export type StopReason = 'client' | 'deadline';

// Node fires a timer at once when its delay does not fit 32 bits; longer limits are no limit.
const longestTimerDelay = 2_147_483_647;

function isTimeLimit(milliseconds: number): boolean {
  return Number.isFinite(milliseconds) && milliseconds <= longestTimerDelay;
}

/** What a request can be cancelled by: an AbortSignal, or anything with the same three members. */
export interface CancellationSignal {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

function stopReasonError(reason: StopReason): Error {
  return reason === 'client' ? new Error('The client closed the request.') : new Error('The request deadline passed.');
}

export class RequestAbortScope {
  stopReason: StopReason | undefined;
  private controller: AbortController | undefined;
  private readonly deadlineTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly clientSignal: CancellationSignal | undefined;
  private readonly onClientAbort = (): void => this.stop('client');
  private readonly stopListeners = new Set<() => void>();

  constructor(clientSignal: CancellationSignal | undefined, deadlineMilliseconds: number) {
    this.clientSignal = clientSignal;
    if (clientSignal?.aborted === true) {
      this.stop('client');
    } else {
      clientSignal?.addEventListener('abort', this.onClientAbort, { once: true });
    }
    if (isTimeLimit(deadlineMilliseconds) && this.stopReason === undefined) {
      const timer = setTimeout(() => this.stop('deadline'), Math.max(0, deadlineMilliseconds));
      timer.unref();
      this.deadlineTimer = timer;
    }
  }

  /** An AbortSignal that aborts when the request stops; made on first use. */
  get signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController();
      if (this.stopReason !== undefined) this.controller.abort(stopReasonError(this.stopReason));
    }
    return this.controller.signal;
  }

  get stopped(): boolean {
    return this.stopReason !== undefined;
  }

  /** Runs once when the request is stopped, at once if it already was; returns the way to unsubscribe. */
  onStop(listener: () => void): () => void {
    if (this.stopReason !== undefined) {
      listener();
      return () => undefined;
    }
    this.stopListeners.add(listener);
    return () => this.stopListeners.delete(listener);
  }

  stop(reason: StopReason): void {
    if (this.stopReason !== undefined) return;
    this.stopReason = reason;
    this.controller?.abort(stopReasonError(reason));
    const listeners = [...this.stopListeners];
    this.stopListeners.clear();
    for (const listener of listeners) listener();
  }

  dispose(): void {
    if (this.deadlineTimer !== undefined) clearTimeout(this.deadlineTimer);
    this.clientSignal?.removeEventListener('abort', this.onClientAbort);
    this.stopListeners.clear();
  }
}

export class AttemptAbortScope {
  readonly signal: AbortSignal;
  timedOut = false;
  private readonly controller = new AbortController();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly unsubscribeFromParent: () => void;
  private abortedPromise: Promise<never> | undefined;

  constructor(
    private readonly parent: RequestAbortScope,
    readonly timeoutMilliseconds: number,
  ) {
    this.signal = this.controller.signal;
    this.unsubscribeFromParent = parent.onStop(() => {
      if (!this.signal.aborted) this.controller.abort(stopReasonError(parent.stopReason ?? 'client'));
    });
    if (this.signal.aborted) return;
    if (isTimeLimit(timeoutMilliseconds)) {
      this.timer = setTimeout(() => {
        this.timedOut = true;
        this.controller.abort(new Error(`The attempt ran past ${timeoutMilliseconds} ms.`));
      }, Math.max(0, timeoutMilliseconds));
      this.timer.unref();
    }
  }

  /** Rejects when this attempt is aborted, so an adapter that ignores its signal cannot hang us. Made on first use. */
  get aborted(): Promise<never> {
    if (this.abortedPromise === undefined) {
      const signal = this.signal;
      this.abortedPromise = signal.aborted
        ? Promise.reject(signal.reason as Error)
        : new Promise<never>((_, reject) => {
            signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
          });
      // Nobody may be racing this promise when it rejects; that is not an unhandled failure.
      this.abortedPromise.catch(() => undefined);
    }
    return this.abortedPromise;
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
    this.unsubscribeFromParent();
  }

  /** Awaits `work`, but gives up as soon as this attempt is aborted. */
  race<Value>(work: Promise<Value>): Promise<Value> {
    return Promise.race([work, this.aborted]);
  }
}
