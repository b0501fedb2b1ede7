// Group commit: writes that arrive while a batch is being written join the next batch, so the
// database sees one transaction per batch instead of one per request, and a write at idle goes
// out at once (after the current tick, so writes made together share it). Each caller awaits
// the batch that carries its item, so an acknowledged write is a committed one.
// With a synchronous driver (better-sqlite3) nothing can arrive while a batch is written, so
// batches would stay at one item; a window makes the next batch wait until `windowMilliseconds`
// after the previous one began: at idle a write still goes at once, under load batches grow.

export type BatchWriter<Item, Result> = (items: readonly Item[]) => Promise<readonly Result[]>;

interface Pending<Item, Result> {
  readonly item: Item;
  readonly resolve: (result: Result) => void;
  readonly reject: (error: unknown) => void;
}

export class GroupCommitWriter<Item, Result> {
  private queue: Pending<Item, Result>[] = [];
  private running: Promise<void> | undefined;
  private lastBatchStartedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly writeBatch: BatchWriter<Item, Result>,
    private readonly maxBatch = 1_000,
    private readonly windowMilliseconds = 0,
  ) {}

  write(item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.running ??= this.drain();
    });
  }

  private async drain(): Promise<void> {
    // Let the writes made in this tick join the first batch.
    await Promise.resolve();
    try {
      while (this.queue.length > 0) {
        const wait = this.lastBatchStartedAt + this.windowMilliseconds - performance.now();
        if (wait > 0 && this.queue.length < this.maxBatch) await new Promise((resolve) => setTimeout(resolve, wait));
        this.lastBatchStartedAt = performance.now();
        const batch = this.queue.length <= this.maxBatch ? this.queue : this.queue.slice(0, this.maxBatch);
        this.queue = this.queue.length <= this.maxBatch ? [] : this.queue.slice(this.maxBatch);
        await this.commit(batch);
      }
    } finally {
      this.running = undefined;
    }
  }

  private async commit(batch: readonly Pending<Item, Result>[]): Promise<void> {
    try {
      const results = await this.writeBatch(batch.map((pending) => pending.item));
      batch.forEach((pending, index) => pending.resolve(results[index] as Result));
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      // One bad item must not fail the others: write them one by one to find it.
      for (const pending of batch) await this.commit([pending]);
    }
  }

  /** Resolves when everything written so far has been committed (or failed). */
  async flush(): Promise<void> {
    while (this.running !== undefined) await this.running;
  }
}
