// Hands out a model's context sequences one request at a time. A context holds a fixed number
// of sequences (`maxConcurrentSequences`); requests beyond that wait in arrival order, and a
// waiting request whose client goes away leaves the line without ever taking a sequence.

export interface SequenceLease<Resource> {
  readonly resource: Resource;
  /** Gives the resource back (to the next waiter, if any); calling it twice does nothing. */
  release(): void;
}

interface Waiter<Resource> {
  readonly grant: (lease: SequenceLease<Resource>) => void;
  readonly reject: (reason: unknown) => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
}

export class SequenceQueue<Resource> {
  private readonly free: Resource[];
  private readonly waiters: Waiter<Resource>[] = [];

  constructor(resources: readonly Resource[]) {
    this.free = [...resources];
  }

  /** Requests waiting for a sequence now. */
  get waiting(): number {
    return this.waiters.length;
  }

  /** Sequences not lent out now. */
  get available(): number {
    return this.free.length;
  }

  acquire(signal?: AbortSignal): Promise<SequenceLease<Resource>> {
    if (signal?.aborted === true) return Promise.reject(abortReason(signal));
    const resource = this.waiters.length === 0 ? this.free.shift() : undefined;
    if (resource !== undefined) return Promise.resolve(this.lease(resource));
    return new Promise((resolve, reject) => {
      const waiter: Waiter<Resource> = {
        grant: resolve,
        reject,
        signal,
        onAbort: () => {
          const index = this.waiters.indexOf(waiter);
          if (index >= 0) this.waiters.splice(index, 1);
          reject(abortReason(signal));
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  private lease(resource: Resource): SequenceLease<Resource> {
    let released = false;
    return {
      resource,
      release: () => {
        if (released) return;
        released = true;
        this.handOn(resource);
      },
    };
  }

  private handOn(resource: Resource): void {
    const next = this.waiters.shift();
    if (next === undefined) {
      this.free.push(resource);
      return;
    }
    next.signal?.removeEventListener('abort', next.onAbort);
    next.grant(this.lease(resource));
  }

  /** Fails every waiting request, for shutdown. */
  rejectWaiting(reason: unknown): void {
    for (const waiter of this.waiters.splice(0)) {
      waiter.signal?.removeEventListener('abort', waiter.onAbort);
      waiter.reject(reason);
    }
  }
}

function abortReason(signal: AbortSignal | undefined): unknown {
  return signal?.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}
