// Where the billing service keeps its admission counters: in process for one server, or (with
// Redis) in leases on the shared Redis counters, so replicas hold without a round trip per request.
// Each replica lists the counters it leases in the database, so a restart anywhere can release a
// crashed one's.
import { systemClock, type Clock, type Logger } from '../core/index.js';
import type { Database } from '../storage/index.js';
import { MemoryCounterStore, type CounterStore, type OwnedCounterStore } from './billing-counters.js';
import { LeasedCounterStore } from './billing-leased-counters.js';
import { ReservationRecoveryRepository } from './billing-recovery-repository.js';
import { RedisCounterStore } from './billing-redis-counters.js';

export interface CounterStores {
  readonly counters: CounterStore;
  /** The store under the leases (replicas): recovery releases crashed servers' holds in it directly. */
  readonly shared: OwnedCounterStore | undefined;
}

export function counterStoresFor(options: {
  readonly database: Database;
  readonly redisUrl?: string | undefined;
  readonly serverId: string;
  readonly reservationTimeoutMs: number;
  readonly clock?: Clock | undefined;
  readonly logger?: Logger | undefined;
}): CounterStores {
  if (options.redisUrl === undefined || options.redisUrl === '') return { counters: new MemoryCounterStore(), shared: undefined };
  const shared = new RedisCounterStore(options.redisUrl);
  const repository = new ReservationRecoveryRepository(options.database);
  const clock = options.clock ?? systemClock;
  const counters = new LeasedCounterStore(shared, {
    owner: options.serverId,
    logger: options.logger,
    heartbeatMilliseconds: Math.min(60_000, Math.floor(options.reservationTimeoutMs / 4)),
    journal: {
      record: async (owner, keys, existing) => repository.recordLease(owner, keys, existing, clock.now().toISOString()),
      remove: async (owner) => repository.removeLease(owner),
    },
  });
  return { counters, shared };
}
