// Counters for admission: per budget period, per account, per plan period, each a pair of what
// has been spent (committed to the database) and what is held by requests in flight. A request's
// holds on all its counters are checked and taken together, atomically, so concurrent requests
// never pass a limit by more than what was admitted. This file is the in-process store (one
// server); billing-redis-counters.ts shares the same contract across replicas.

export interface CounterHold {
  readonly key: string;
  readonly amount: number;
  /** Refuse when spent + held + amount would pass this; null holds without a limit. */
  readonly limit: number | null;
}

export interface CounterMove {
  readonly key: string;
  /** Taken off what is held. */
  readonly released: number;
  /** Added to what is spent. */
  readonly spent: number;
}

export interface HoldRefusal {
  /** Index of the first hold whose limit would be passed. */
  readonly index: number;
  readonly spent: number;
  readonly held: number;
}

/** Reads a counter's spent value from the database, used when the store does not have it yet. */
export type CounterLoader = (key: string) => Promise<number>;

export interface CounterStore {
  /** Takes every hold, or none: returns the first refusal. */
  hold(holds: readonly CounterHold[], load: CounterLoader): Promise<HoldRefusal | undefined>;
  /** After the database committed: releases holds and adds spend. Counters the store lacks are skipped (a later load reads the committed value). */
  apply(moves: readonly CounterMove[]): Promise<void>;
  /** Adds `amount` to spent and answers how much of it fitted under `cap` (a subscription allowance). */
  consume(key: string, amount: number, cap: number, load: CounterLoader): Promise<number>;
  read(key: string, load: CounterLoader): Promise<number>;
  /** Re-reads spent from the database (an account topped up elsewhere); holds are kept. */
  refresh(key: string, load: CounterLoader): Promise<void>;
  close(): Promise<void>;
}

interface Counter {
  spent: number;
  held: number;
  /** Bumped by every apply, so a refresh that raced one is dropped instead of undoing it. */
  version: number;
}

export class MemoryCounterStore implements CounterStore {
  private readonly counters = new Map<string, Counter>();
  private readonly loading = new Map<string, Promise<number>>();

  private async ensure(key: string, load: CounterLoader): Promise<Counter> {
    const existing = this.counters.get(key);
    if (existing !== undefined) return existing;
    let pending = this.loading.get(key);
    if (pending === undefined) {
      pending = load(key).finally(() => this.loading.delete(key));
      this.loading.set(key, pending);
    }
    const spent = await pending;
    let counter = this.counters.get(key);
    if (counter === undefined) {
      counter = { spent, held: 0, version: 0 };
      this.counters.set(key, counter);
    }
    return counter;
  }

  async hold(holds: readonly CounterHold[], load: CounterLoader): Promise<HoldRefusal | undefined> {
    const counters: Counter[] = [];
    for (const hold of holds) {
      const counter = this.counters.get(hold.key) ?? (await this.ensure(hold.key, load));
      counters.push(counter);
    }
    // From here to the end nothing awaits, so the check and the hold are one step for this process.
    for (let index = 0; index < holds.length; index += 1) {
      const hold = holds[index];
      const counter = counters[index];
      if (hold === undefined || counter === undefined || hold.limit === null) continue;
      if (counter.spent + counter.held + hold.amount > hold.limit) return { index, spent: counter.spent, held: counter.held };
    }
    for (let index = 0; index < holds.length; index += 1) {
      const counter = counters[index];
      if (counter !== undefined) counter.held += holds[index]?.amount ?? 0;
    }
    return undefined;
  }

  async apply(moves: readonly CounterMove[]): Promise<void> {
    for (const move of moves) {
      const counter = this.counters.get(move.key);
      if (counter === undefined) continue;
      counter.held = Math.max(0, counter.held - move.released);
      counter.spent += move.spent;
      counter.version += 1;
    }
  }

  async consume(key: string, amount: number, cap: number, load: CounterLoader): Promise<number> {
    const counter = await this.ensure(key, load);
    const fitted = Math.max(0, Math.min(amount, cap - counter.spent));
    counter.spent += amount;
    counter.version += 1;
    return fitted;
  }

  async read(key: string, load: CounterLoader): Promise<number> {
    return (await this.ensure(key, load)).spent;
  }

  async refresh(key: string, load: CounterLoader): Promise<void> {
    const counter = this.counters.get(key);
    if (counter === undefined) return;
    const version = counter.version;
    const spent = await load(key);
    if (counter.version === version) counter.spent = spent;
  }

  async close(): Promise<void> {
    this.counters.clear();
  }
}
