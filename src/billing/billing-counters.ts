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

/** holdNow's answer when the hold needs work it cannot do synchronously (a load, a shared store): call hold. */
export const holdNeedsWait = 'wait';

export interface CounterStore {
  /** Takes every hold, or none: returns the first refusal. */
  hold(holds: readonly CounterHold[], load: CounterLoader): Promise<HoldRefusal | undefined>;
  /** The same without waiting, when the store can answer at once (every counter known or leased with room); else holdNeedsWait and nothing is held. */
  holdNow?(holds: readonly CounterHold[]): HoldRefusal | undefined | typeof holdNeedsWait;
  /** After the database committed: releases holds and adds spend. Counters the store lacks are skipped (a later load reads the committed value). */
  apply(moves: readonly CounterMove[]): Promise<void>;
  /** Adds `amount` to spent and answers how much of it fitted under `cap` (a subscription allowance). */
  consume(key: string, amount: number, cap: number, load: CounterLoader): Promise<number>;
  read(key: string, load: CounterLoader): Promise<number>;
  /** Re-reads spent from the database (an account topped up elsewhere); holds are kept. */
  refresh(key: string, load: CounterLoader): Promise<void>;
  /** Resolves when every move applied so far has reached the shared counters (a no-op for stores that apply at once). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** A counter's state right after a hold: what a lease is sized from. */
export interface CounterState {
  readonly spent: number;
  readonly held: number;
}

/**
 * A store several servers share, whose holds are also counted per OWNER (a server), so that what
 * a crashed owner held can be released exactly, by someone else, without any per-request record.
 */
export interface OwnedCounterStore extends CounterStore {
  /** Like hold, counted under `owner`; on success answers each counter's state after the hold. */
  holdFor(owner: string, holds: readonly CounterHold[], load: CounterLoader): Promise<{ readonly refusal?: HoldRefusal; readonly states: readonly CounterState[] }>;
  /** Like apply, for holds of `owner`: never releases more than the owner holds on a counter. */
  applyFor(owner: string, moves: readonly CounterMove[]): Promise<void>;
  /** Releases all that `owner` holds on these counters (a crashed server's leases); answers the total released. */
  releaseOwner(owner: string, keys: readonly string[]): Promise<number>;
}

interface Counter {
  spent: number;
  held: number;
  /** Bumped by every apply, so a refresh that raced one is dropped instead of undoing it. */
  version: number;
  /** What each owner holds of `held` (holdFor / applyFor only). */
  owners?: Map<string, number>;
}

export class MemoryCounterStore implements OwnedCounterStore {
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
    return this.checkAndHold(holds, counters);
  }

  holdNow(holds: readonly CounterHold[]): HoldRefusal | undefined | typeof holdNeedsWait {
    const counters: Counter[] = [];
    for (const hold of holds) {
      const counter = this.counters.get(hold.key);
      if (counter === undefined) return holdNeedsWait;
      counters.push(counter);
    }
    return this.checkAndHold(holds, counters);
  }

  // Nothing here awaits, so the check and the hold are one step for this process.
  private checkAndHold(holds: readonly CounterHold[], counters: readonly Counter[]): HoldRefusal | undefined {
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

  async holdFor(owner: string, holds: readonly CounterHold[], load: CounterLoader): Promise<{ readonly refusal?: HoldRefusal; readonly states: readonly CounterState[] }> {
    const refusal = await this.hold(holds, load);
    if (refusal !== undefined) return { refusal, states: [] };
    const states: CounterState[] = [];
    for (const hold of holds) {
      const counter = this.counters.get(hold.key);
      if (counter === undefined) continue;
      counter.owners ??= new Map();
      counter.owners.set(owner, (counter.owners.get(owner) ?? 0) + hold.amount);
      states.push({ spent: counter.spent, held: counter.held });
    }
    return { states };
  }

  async applyFor(owner: string, moves: readonly CounterMove[]): Promise<void> {
    for (const move of moves) {
      const counter = this.counters.get(move.key);
      if (counter === undefined) continue;
      const owned = counter.owners?.get(owner) ?? 0;
      const released = Math.min(owned, move.released);
      if (owned - released > 0) counter.owners?.set(owner, owned - released);
      else counter.owners?.delete(owner);
      counter.held = Math.max(0, counter.held - released);
      counter.spent += move.spent;
      counter.version += 1;
    }
  }

  async releaseOwner(owner: string, keys: readonly string[]): Promise<number> {
    let total = 0;
    for (const key of keys) {
      const counter = this.counters.get(key);
      const owned = counter?.owners?.get(owner);
      if (counter === undefined || owned === undefined) continue;
      counter.owners?.delete(owner);
      counter.held = Math.max(0, counter.held - owned);
      total += owned;
    }
    return total;
  }

  async flush(): Promise<void> {
    // Moves apply at once in memory.
  }

  async close(): Promise<void> {
    this.counters.clear();
  }
}
