// Group commit: writes that arrive while a batch is being written join the next batch, so the
// database sees one transaction per batch instead of one per request, and a write at idle goes
// out at once (after the current tick, so writes made together share it). Each caller awaits
// the batch that carries its item, so an acknowledged write is a committed one.
// With a synchronous driver (better-sqlite3) nothing can arrive while a batch is written, so
// batches would stay at one item; a window makes the next batch wait until `windowMilliseconds`
// after the previous one began: at idle a write still goes at once, under load batches grow.
// Two ways in: `write` answers each item's own result through a promise of its own; `append`
// (the settlement hot path) keeps nothing per item but the item: its result goes to the writer's
// `onResult` hook, and the caller gets the promise its whole batch shares.

export type BatchWriter<Item, Result> = (items: readonly Item[]) => Promise<readonly Result[]>;

/** Where the results of appended items go: a result and undefined, or undefined and the error that failed the item. */
export type AppendedResult<Item, Result> = (item: Item, result: Result | undefined, error: unknown) => void;

interface Waiter<Result> {
  readonly resolve: (result: Result) => void;
  readonly reject: (error: unknown) => void;
}

/** A batch's shared completion: resolved (never rejected) once every item of it has its outcome. */
interface BatchDone {
  readonly promise: Promise<void>;
  readonly resolve: () => void;
}

function batchDone(): BatchDone {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

export class GroupCommitWriter<Item, Result> {
  private items: Item[] = [];
  /** Per item of `items`: its waiter (write) or undefined (append). */
  private waiters: (Waiter<Result> | undefined)[] = [];
  private done: BatchDone | undefined;
  private running: Promise<void> | undefined;
  private lastBatchStartedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly writeBatch: BatchWriter<Item, Result>,
    private readonly maxBatch = 1_000,
    private readonly windowMilliseconds = 0,
    private readonly onResult: AppendedResult<Item, Result> = () => undefined,
  ) {}

  write(item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.items.push(item);
      this.waiters.push({ resolve, reject });
      this.running ??= this.drain();
    });
  }

  /** Queues an item whose outcome goes to `onResult`; answers when the batch carrying it is written (it never rejects). */
  append(item: Item): Promise<void> {
    this.items.push(item);
    this.waiters.push(undefined);
    this.done ??= batchDone();
    this.running ??= this.drain();
    return this.done.promise;
  }

  private async drain(): Promise<void> {
    // Let the writes made in this tick join the first batch.
    await Promise.resolve();
    try {
      while (this.items.length > 0) {
        const wait = this.lastBatchStartedAt + this.windowMilliseconds - performance.now();
        if (wait > 0 && this.items.length < this.maxBatch) await new Promise((resolve) => setTimeout(resolve, wait));
        this.lastBatchStartedAt = performance.now();
        const whole = this.items.length <= this.maxBatch;
        const items = whole ? this.items : this.items.slice(0, this.maxBatch);
        const waiters = whole ? this.waiters : this.waiters.slice(0, this.maxBatch);
        this.items = whole ? [] : this.items.slice(this.maxBatch);
        this.waiters = whole ? [] : this.waiters.slice(this.maxBatch);
        // A batch cut short leaves the shared completion to the rest, which is written after it.
        const done = whole ? this.done : undefined;
        if (whole) this.done = undefined;
        try {
          await this.commit(items, waiters);
        } finally {
          done?.resolve();
        }
      }
    } finally {
      this.running = undefined;
    }
  }

  private async commit(items: readonly Item[], waiters: readonly (Waiter<Result> | undefined)[]): Promise<void> {
    let results: readonly Result[];
    try {
      results = await this.writeBatch(items);
    } catch (error) {
      if (items.length === 1) {
        this.settleOne(items[0] as Item, waiters[0], undefined, true, error);
        return;
      }
      // One bad item must not fail the others: write them one by one to find it.
      for (let index = 0; index < items.length; index += 1) await this.commit([items[index] as Item], [waiters[index]]);
      return;
    }
    for (let index = 0; index < items.length; index += 1) this.settleOne(items[index] as Item, waiters[index], results[index], false, undefined);
  }

  private settleOne(item: Item, waiter: Waiter<Result> | undefined, result: Result | undefined, failed: boolean, error: unknown): void {
    if (waiter === undefined) this.onResult(item, failed ? undefined : result, failed ? error ?? new Error('the batch write failed') : undefined);
    else if (failed) waiter.reject(error);
    else waiter.resolve(result as Result);
  }

  /** Resolves when everything written so far has been committed (or failed). */
  async flush(): Promise<void> {
    while (this.running !== undefined) await this.running;
  }
}
