// What a starting server does about work an interrupted one left: its reservation rows are
// released and recorded as interrupted at no cost, and (replicas) the leases a crashed server
// held on the shared counters are given back exactly.
import type { Logger } from '../core/index.js';
import type { CounterLoader, CounterMove, CounterStore, OwnedCounterStore } from './billing-counters.js';
import { counterHoldListSchema } from './billing-metering-repository.js';
import type { ReservationRecoveryRepository } from './billing-recovery-repository.js';

export interface InterruptedWork {
  readonly recovery: ReservationRecoveryRepository;
  readonly counters: CounterStore;
  /** The store under the leases (replicas): a crashed server's holds are released in it directly. */
  readonly sharedStore: OwnedCounterStore | undefined;
  readonly loader: (organisationId: string) => CounterLoader;
  readonly logger: Pick<Logger, 'warn'>;
}

/** Releases reservations and leases older than `before`; answers how many reservations. */
export async function recoverInterruptedWork(work: InterruptedWork, before: string, now: string): Promise<number> {
  const recovered = await work.recovery.recoverReservations(before, now);
  const moves: CounterMove[] = [];
  for (const row of recovered) {
    const holds = counterHoldListSchema.safeParse(JSON.parse(row.budget_ids));
    if (holds.success) for (const hold of holds.data) moves.push({ key: hold.key, released: hold.amount, spent: 0 });
  }
  const { sharedStore } = work;
  await (sharedStore ?? work.counters).apply(moves);
  // Leases of crashed replicas: exactly what each held, as the shared store counts it under its name.
  if (sharedStore !== undefined) {
    for (const lease of await work.recovery.recoverLeases(before)) {
      const released = await sharedStore.releaseOwner(lease.serverId, lease.keys);
      // Its last settled spend may be committed but not yet in Redis: re-read spent from the
      // database (what other servers have not flushed yet is then counted twice until their
      // next refresh: stricter for a moment, never looser).
      for (const key of lease.keys) await sharedStore.refresh(key, work.loader(key.split(':')[1] ?? ''));
      work.logger.warn({ server: lease.serverId, released }, 'billing: released the leases of an interrupted server');
    }
  }
  if (recovered.length > 0) work.logger.warn({ count: recovered.length }, 'billing: released reservations left by an interrupted server; recorded as interrupted at no cost');
  return recovered.length;
}
