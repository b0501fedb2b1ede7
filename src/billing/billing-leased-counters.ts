// Leased counters: a server takes a LEASE on a shared counter (a hold of many requests' worth,
// counted under its own name in the shared store) and then admits holds from it locally, with no
// round trip. Settlements are applied locally too and flushed to the shared store in one call every
// few milliseconds. Leases are sized from what is free, so limits stay exact near the limit: a
// lease is at most 1/16 of what was free and only taken when that is at least 4 requests' worth;
// closer to the limit every hold goes to the shared store as before, and any surplus goes back at
// the next flush (a hold the shared store refuses waits for that once before it is refused).
// Unused surplus also goes back after a short idle time and on close.
// A crashed server's leases stay held until a restart recovers them: each server durably lists the
// counters it may hold on (LeaseJournal, written before its first hold on a counter), and recovery
// releases exactly what the shared store counts under that server's name. Until then at most the
// crashed server's surplus (≤ 1/16 of what was free when each lease was taken) is unavailable.
import type { Logger } from '../core/index.js';
import { holdNeedsWait, type CounterHold, type CounterLoader, type CounterMove, type CounterState, type CounterStore, type HoldRefusal, type OwnedCounterStore } from './billing-counters.js';

/** Where a server durably lists the counters it holds leases on, so that recovery can find them. */
export interface LeaseJournal {
  /**
   * Replaces `owner`'s list and refreshes its age. With `existing`, only an existing record is
   * updated: false means it is gone, recovered by another server that released the leases.
   */
  record(owner: string, keys: readonly string[], existing: boolean): Promise<boolean>;
  remove(owner: string): Promise<void>;
}

export interface LeasedCounterOptions {
  /** This server's name in the shared store (unique per process start). */
  readonly owner: string;
  readonly journal?: LeaseJournal | undefined;
  /** How often settled moves reach the shared store (default 25 ms). */
  readonly flushIntervalMilliseconds?: number;
  /** Surplus of a counter not held for this long goes back (default 500 ms). */
  readonly idleReturnMilliseconds?: number;
  /** How often the journal record's age is refreshed, well under the recovery timeout (default 60 s). */
  readonly heartbeatMilliseconds?: number;
  readonly logger?: Pick<Logger, 'error' | 'warn'> | undefined;
}

// A lease is at most this fraction of what is free, taken only when that is ≥ `minimumRequests`
// holds of the request's size, and never more than `maximumRequests` of them.
const leaseDivisor = 16;
const minimumRequests = 4;
const maximumRequests = 1_024;

interface Lease {
  /** Held in the shared store under this owner: what local requests hold, what they spent since the last flush, and the surplus. */
  leased: number;
  /** Held by local requests in flight. */
  used: number;
  /** Spent by settled requests, still inside the lease; becomes shared spend at the next flush. */
  spentPending: number;
  /** The shared counter right after this server's last hold on it. */
  state: CounterState | undefined;
  /** The last lease size was 0 because the counter is near its limit (or unknown): surplus goes back at once. */
  nearLimit: boolean;
  lastHeldAt: number;
  /** A lease being taken: other holds on the counter wait for it instead of taking one each. */
  leasing: Promise<void> | undefined;
}

function available(lease: Lease): number {
  return lease.leased - lease.used - lease.spentPending;
}

export class LeasedCounterStore implements CounterStore {
  private readonly leases = new Map<string, Lease>();
  /** Moves on counters this server holds nothing on (spend-only counters), summed until the flush. */
  private readonly passthrough = new Map<string, { released: number; spent: number }>();
  private readonly recordedKeys = new Set<string>();
  private recordedOnce = false;
  private journalWrite: Promise<void> | undefined;
  /** Counters with a shared hold under way: they stay on the journal's list whatever the lease says. */
  private readonly pinned = new Map<string, number>();
  private flushChain: Promise<void> = Promise.resolve();
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private heartbeatTimer: ReturnType<typeof setInterval> | undefined;
  private closing = false;
  private readonly flushInterval: number;
  private readonly idleReturn: number;

  constructor(
    private readonly shared: OwnedCounterStore,
    private readonly options: LeasedCounterOptions,
  ) {
    this.flushInterval = options.flushIntervalMilliseconds ?? 25;
    this.idleReturn = options.idleReturnMilliseconds ?? 500;
  }

  /** What this server holds on a counter now, for tests and diagnostics. */
  leaseOf(key: string): { readonly leased: number; readonly used: number; readonly spentPending: number } | undefined {
    const lease = this.leases.get(key);
    return lease === undefined ? undefined : { leased: lease.leased, used: lease.used, spentPending: lease.spentPending };
  }

  async hold(holds: readonly CounterHold[], load: CounterLoader): Promise<HoldRefusal | undefined> {
    let waitedForSurplus = false;
    for (;;) {
      const local = this.holdLocally(holds);
      if (local === true) return undefined;
      if (local.length > 0) {
        await Promise.all(local);
        continue;
      }
      const outcome = await this.holdShared(holds, load);
      if (outcome === 'retry') continue;
      if (outcome !== undefined && outcome.held > 0 && !waitedForSurplus && !this.closing) {
        // Near a limit, another server's lease may keep a remainder too small for its own next request
        // but big enough for this one; every server gives such surplus back at its next flush. Waiting
        // for that once before refusing keeps a limit usable to its last request, at the price of a
        // slower refusal (never a slower admission).
        waitedForSurplus = true;
        await new Promise<void>((resolve) => setTimeout(resolve, this.flushInterval * 2));
        continue;
      }
      return outcome;
    }
  }

  /** From the leases alone, at once; holdNeedsWait when one lacks room (hold then asks the shared store). */
  holdNow(holds: readonly CounterHold[]): undefined | typeof holdNeedsWait {
    return this.holdLocally(holds) === true ? undefined : holdNeedsWait;
  }

  /**
   * Takes every hold from the leases when they all have room (nothing awaits, so the check and
   * the hold are one step); otherwise answers the leases being taken that it should wait for.
   */
  private holdLocally(holds: readonly CounterHold[]): true | Promise<void>[] {
    // The array of waits is made only when a hold does not fit: the usual hold, from leases, allocates none.
    let waits: Promise<void>[] | undefined;
    for (const hold of holds) {
      if (this.hasRoom(hold)) continue;
      waits ??= [];
      const leasing = this.leases.get(hold.key)?.leasing;
      if (leasing !== undefined) waits.push(leasing);
    }
    if (waits !== undefined) return waits;
    const now = performance.now();
    for (const hold of holds) {
      const lease = this.leases.get(hold.key);
      if (lease === undefined) continue;
      lease.used += hold.amount;
      lease.lastHeldAt = now;
    }
    return true;
  }

  private hasRoom(hold: CounterHold): boolean {
    const lease = this.leases.get(hold.key);
    return lease !== undefined && lease.leased > 0 && available(lease) >= hold.amount;
  }

  /** Whether the leases would now have room for every hold (so a refusal from the shared store should be retried). */
  private wouldFitLocally(holds: readonly CounterHold[]): boolean {
    return holds.every((hold) => this.hasRoom(hold));
  }

  /** Takes from the shared store what the leases lack (plus a new lease where there is room), in one atomic step. */
  private async holdShared(holds: readonly CounterHold[], load: CounterLoader): Promise<HoldRefusal | undefined | 'retry'> {
    for (const hold of holds) this.pinned.set(hold.key, (this.pinned.get(hold.key) ?? 0) + 1);
    try {
      await this.ensureRecorded(holds.map((hold) => hold.key));
      return await this.holdSharedRecorded(holds, load);
    } finally {
      for (const hold of holds) {
        const count = (this.pinned.get(hold.key) ?? 1) - 1;
        if (count > 0) this.pinned.set(hold.key, count);
        else this.pinned.delete(hold.key);
      }
    }
  }

  private async holdSharedRecorded(holds: readonly CounterHold[], load: CounterLoader): Promise<HoldRefusal | undefined | 'retry'> {
    // Others may have taken a lease meanwhile: use it, or wait for the one under way.
    if (this.wouldFitLocally(holds)) return 'retry';
    if (holds.some((hold) => this.leases.get(hold.key)?.leasing !== undefined && !this.hasRoom(hold))) return 'retry';
    const now = performance.now();
    const plans = holds.map((hold) => {
      let lease = this.leases.get(hold.key);
      if (lease === undefined) {
        lease = { leased: 0, used: 0, spentPending: 0, state: undefined, nearLimit: true, lastHeldAt: now, leasing: undefined };
        this.leases.set(hold.key, lease);
      }
      lease.lastHeldAt = now;
      // What the lease still has covers part of the hold; it is taken now so nobody else uses it meanwhile.
      const fromLease = lease.leased > 0 ? Math.max(0, Math.min(hold.amount, available(lease))) : 0;
      lease.used += fromLease;
      const extra = this.leaseSize(lease, hold);
      return { hold, lease, fromLease, extra };
    });
    let finished: () => void = () => undefined;
    const leasing = new Promise<void>((resolve) => (finished = resolve));
    for (const plan of plans) if (plan.extra > 0 && plan.lease.leasing === undefined) plan.lease.leasing = leasing;
    const request = (withLeases: boolean): CounterHold[] =>
      plans.map(({ hold, fromLease, extra }) => ({ key: hold.key, amount: hold.amount - fromLease + (withLeases ? extra : 0), limit: hold.limit }));
    let taken = request(true);
    try {
      let result = await this.shared.holdFor(this.options.owner, taken, load);
      if (result.refusal !== undefined && plans.some((plan) => plan.extra > 0)) {
        // No room for the leases: hold exactly what the request needs, as every hold near a limit does.
        for (const plan of plans) plan.lease.nearLimit = true;
        taken = request(false);
        result = await this.shared.holdFor(this.options.owner, taken, load);
      }
      if (result.refusal !== undefined) {
        const refused = plans[result.refusal.index];
        if (refused !== undefined) {
          refused.lease.state = { spent: result.refusal.spent, held: result.refusal.held };
          refused.lease.nearLimit = true;
        }
        for (const plan of plans) plan.lease.used -= plan.fromLease;
        this.scheduleFlush();
        // A lease that landed meanwhile may have room after all.
        return this.wouldFitLocally(holds) ? 'retry' : result.refusal;
      }
      plans.forEach((plan, index) => {
        plan.lease.leased += taken[index]?.amount ?? 0;
        plan.lease.used += plan.hold.amount - plan.fromLease;
        plan.lease.state = result.states[index];
      });
      return undefined;
    } catch (error) {
      for (const plan of plans) plan.lease.used -= plan.fromLease;
      throw error;
    } finally {
      for (const plan of plans) if (plan.lease.leasing === leasing) plan.lease.leasing = undefined;
      finished();
    }
  }

  /** How much more than the request to take: 0 near the limit (or when the counter's state is not known yet). */
  private leaseSize(lease: Lease, hold: CounterHold): number {
    if (lease.state === undefined || this.closing) return 0;
    const unit = Math.max(1, hold.amount);
    const most = unit * maximumRequests;
    const size = hold.limit === null ? most : Math.min(most, Math.floor((hold.limit - lease.state.spent - lease.state.held) / leaseDivisor));
    lease.nearLimit = size < minimumRequests * unit;
    return lease.nearLimit ? 0 : size;
  }

  async apply(moves: readonly CounterMove[]): Promise<void> {
    for (const move of moves) {
      const lease = this.leases.get(move.key);
      if (lease !== undefined) {
        // Released goes back into the lease; spent stays held by the lease until the flush moves it.
        lease.used = Math.max(0, lease.used - move.released);
        lease.spentPending += move.spent;
        continue;
      }
      const pending = this.passthrough.get(move.key);
      if (pending === undefined) this.passthrough.set(move.key, { released: move.released, spent: move.spent });
      else {
        pending.released += move.released;
        pending.spent += move.spent;
      }
    }
    this.scheduleFlush();
  }

  async consume(key: string, amount: number, cap: number, load: CounterLoader): Promise<number> {
    return this.shared.consume(key, amount, cap, load);
  }

  /** The shared spend plus what this server spent since its last flush. */
  async read(key: string, load: CounterLoader): Promise<number> {
    const spent = await this.shared.read(key, load);
    return spent + (this.leases.get(key)?.spentPending ?? 0) + (this.passthrough.get(key)?.spent ?? 0);
  }

  async refresh(key: string, load: CounterLoader): Promise<void> {
    await this.shared.refresh(key, load);
  }

  private scheduleFlush(delay = this.flushInterval): void {
    if (this.flushTimer !== undefined || this.closing) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      this.flush().catch((error: unknown) => this.options.logger?.error({ err: error }, 'billing: flushing leased counters failed; retrying'));
    }, delay);
    this.flushTimer.unref();
  }

  /** Sends settled spend to the shared store and gives back surplus that is idle, near a limit, or (closing) all of it. */
  flush(): Promise<void> {
    const run = this.flushChain.then(async () => this.flushOnce());
    this.flushChain = run.catch(() => undefined);
    return run;
  }

  private async flushOnce(): Promise<void> {
    const now = performance.now();
    const owned: CounterMove[] = [];
    const undo: (() => void)[] = [];
    let surplusLeft = false;
    for (const [key, lease] of this.leases) {
      const surplus = available(lease);
      const idle = now - lease.lastHeldAt >= this.idleReturn;
      const returning = surplus > 0 && lease.leasing === undefined && (this.closing || lease.nearLimit || idle);
      if (surplus > 0 && !returning) surplusLeft = true;
      const released = Math.max(0, Math.min(lease.leased - lease.used, lease.spentPending + (returning ? surplus : 0)));
      const spent = lease.spentPending;
      if (released === 0 && spent === 0) continue;
      owned.push({ key, released, spent });
      lease.leased -= released;
      lease.spentPending = 0;
      undo.push(() => {
        lease.leased += released;
        lease.spentPending += spent;
      });
    }
    const plain = [...this.passthrough].map(([key, move]) => ({ key, ...move }));
    this.passthrough.clear();
    try {
      await Promise.all([this.shared.applyFor(this.options.owner, owned), this.shared.apply(plain)]);
    } catch (error) {
      // Nothing is lost: the moves wait for the next flush.
      for (const step of undo) step();
      for (const move of plain) this.passthrough.set(move.key, { released: move.released, spent: move.spent });
      this.scheduleFlush(this.flushInterval * 10);
      throw error;
    }
    if (surplusLeft) this.scheduleFlush(this.idleReturn);
  }

  /** Notes the counters in the journal before the first shared hold on them (write-ahead); holds arriving together share one write. */
  private async ensureRecorded(keys: readonly string[]): Promise<void> {
    const journal = this.options.journal;
    if (journal === undefined) return;
    for (;;) {
      if (this.journalWrite !== undefined) {
        await this.journalWrite.catch(() => undefined);
        continue;
      }
      if (keys.every((key) => this.recordedKeys.has(key))) return;
      await this.startJournalWrite(journal);
    }
  }

  private startJournalWrite(journal: LeaseJournal): Promise<void> {
    const write = this.writeJournal(journal).finally(() => (this.journalWrite = undefined));
    this.journalWrite = write;
    return write;
  }

  private async writeJournal(journal: LeaseJournal): Promise<void> {
    // Counters this server no longer holds anything on drop off the list; those being held stay.
    for (const [key, lease] of this.leases) {
      if (lease.leased <= 0 && lease.used <= 0 && lease.spentPending <= 0 && lease.leasing === undefined && !this.pinned.has(key)) this.leases.delete(key);
    }
    const keys = [...new Set([...this.leases.keys(), ...this.pinned.keys()])];
    if (this.recordedOnce && !(await journal.record(this.options.owner, keys, true))) {
      // Another server recovered this one's record (it looked crashed) and released its leases.
      this.options.logger?.warn({ owner: this.options.owner }, 'billing: this server\'s leases were recovered by another server; taking new ones');
      for (const lease of this.leases.values()) lease.leased = 0;
      await journal.record(this.options.owner, keys, false);
    } else if (!this.recordedOnce) {
      await journal.record(this.options.owner, keys, false);
    }
    this.recordedOnce = true;
    this.recordedKeys.clear();
    for (const key of keys) this.recordedKeys.add(key);
    if (this.heartbeatTimer === undefined && !this.closing) {
      this.heartbeatTimer = setInterval(() => {
        if (this.journalWrite !== undefined) return;
        this.startJournalWrite(journal).catch((error: unknown) => this.options.logger?.error({ err: error }, 'billing: refreshing the lease record failed'));
      }, this.options.heartbeatMilliseconds ?? 60_000);
      this.heartbeatTimer.unref();
    }
  }

  /** Gives back every surplus, flushes, and drops the journal record when nothing stays held. */
  async close(): Promise<void> {
    this.closing = true;
    if (this.flushTimer !== undefined) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.heartbeatTimer !== undefined) clearInterval(this.heartbeatTimer);
    try {
      await this.flush();
      await this.journalWrite?.catch(() => undefined);
      const holding = [...this.leases.values()].some((lease) => lease.leased > 0);
      // Holds of requests that never settled stay listed, so a restart releases them.
      if (!holding && this.recordedOnce) await this.options.journal?.remove(this.options.owner);
    } finally {
      await this.shared.close();
    }
  }

  /** Stops without returning anything, as a crash would: the leases stay held until recovery. */
  async abandon(): Promise<void> {
    this.closing = true;
    if (this.flushTimer !== undefined) clearTimeout(this.flushTimer);
    if (this.heartbeatTimer !== undefined) clearInterval(this.heartbeatTimer);
    await this.journalWrite?.catch(() => undefined);
    await this.shared.close();
  }
}
