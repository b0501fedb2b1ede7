// Leased counters: holds served from a lease without a round trip, exact near the limit across
// servers, surplus given back on close, spend flushed on flush(), a crashed server's lease released
// by recovery. In memory (a counting shared store) and on Redis + PostgreSQL where configured.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresTarget, postgresTestUrl, redisTestUrl } from '../../test/support/test-databases.js';
import type { CatalogService } from '../catalog/index.js';
import { configSchema } from '../config/index.js';
import { newId, type Clock } from '../core/index.js';
import type { Database } from '../storage/index.js';
import { MemoryCounterStore, type CounterHold, type CounterLoader, type CounterState, type HoldRefusal } from './billing-counters.js';
import { LeasedCounterStore, type LeaseJournal } from './billing-leased-counters.js';
import { ReservationRecoveryRepository } from './billing-recovery-repository.js';
import { RedisCounterStore } from './billing-redis-counters.js';
import { BillingService } from './billing-service.js';
import { addBudget, admission, fixedClock, seedPricedCatalog, usage } from './billing-test-fixtures.js';

/** A shared store that counts its round trips. */
class CountingStore extends MemoryCounterStore {
  holdCalls = 0;
  applyCalls = 0;

  override async holdFor(owner: string, holds: readonly CounterHold[], load: CounterLoader): Promise<{ readonly refusal?: HoldRefusal; readonly states: readonly CounterState[] }> {
    this.holdCalls += 1;
    return super.holdFor(owner, holds, load);
  }

  override async applyFor(owner: string, moves: Parameters<MemoryCounterStore['applyFor']>[1]): Promise<void> {
    this.applyCalls += 1;
    return super.applyFor(owner, moves);
  }

  /** Kept after close, so a test can look at what the servers left. */
  override async close(): Promise<void> {}

  /** Spent and held as the shared store sees them. */
  async state(key: string): Promise<{ spent: number; held: number }> {
    let held = 0;
    // A hold of 0 with no limit reads the counter without changing it.
    const reply = await super.holdFor('reader', [{ key, amount: 0, limit: null }], zero);
    held = reply.states[0]?.held ?? 0;
    return { spent: reply.states[0]?.spent ?? 0, held };
  }
}

const zero: CounterLoader = async () => 0;
const budget = (key: string, amount: number, limit: number | null): CounterHold[] => [{ key, amount, limit }];

describe('leased counters over a counting shared store', () => {
  it('serves many concurrent holds from one lease without a round trip each', async () => {
    const shared = new CountingStore();
    const leased = new LeasedCounterStore(shared, { owner: 'server-a' });
    // The first hold learns the counter's state, the second takes a lease (1/16 of what is free, at most 1,024 holds).
    expect(await leased.hold(budget('budget:b', 10, 1_000_000), zero)).toBeUndefined();
    expect(await leased.hold(budget('budget:b', 10, 1_000_000), zero)).toBeUndefined();
    expect(shared.holdCalls).toBe(2);
    const refusals = await Promise.all(Array.from({ length: 500 }, async () => leased.hold(budget('budget:b', 10, 1_000_000), zero)));
    expect(refusals.every((refusal) => refusal === undefined)).toBe(true);
    expect(shared.holdCalls).toBe(2);
    expect(leased.leaseOf('budget:b')).toMatchObject({ used: 5_020, leased: 10 + 10 + 10_240 });
    await leased.close();
  });

  it('holds exactly what fits near the limit across two servers', async () => {
    const shared = new CountingStore();
    const servers = [new LeasedCounterStore(shared, { owner: 'one' }), new LeasedCounterStore(shared, { owner: 'two' })];
    // Warm: leases are taken while the counter is far from its limit of 2,000.
    for (const server of servers) for (let index = 0; index < 3; index += 1) expect(await server.hold(budget('budget:n', 1, 2_000), zero)).toBeUndefined();
    // Far from the limit: 1,000 concurrent holds take a few leases, not a round trip each.
    const calls = shared.holdCalls;
    const far = await Promise.all(Array.from({ length: 1_000 }, async (_, index) => servers[index % 2]?.hold(budget('budget:n', 1, 2_000), zero)));
    expect(far.every((outcome) => outcome === undefined)).toBe(true);
    expect(shared.holdCalls - calls).toBeLessThan(40);
    // Up to the limit and past it: exactly what is left is admitted.
    const outcomes = await Promise.all(Array.from({ length: 3_000 }, async (_, index) => servers[index % 2]?.hold(budget('budget:n', 1, 2_000), zero)));
    expect(outcomes.filter((outcome) => outcome === undefined)).toHaveLength(2_000 - 1_006);
    expect(await shared.state('budget:n')).toEqual({ spent: 0, held: 2_000 });
    await Promise.all(servers.map(async (server) => server.close()));
  });

  it('moves settled spend on flush() in one call, and gives the surplus back on close', async () => {
    const shared = new CountingStore();
    const leased = new LeasedCounterStore(shared, { owner: 'server-a', flushIntervalMilliseconds: 60_000 });
    for (let index = 0; index < 20; index += 1) await leased.hold(budget('budget:f', 100, 10_000_000), zero);
    const lease = leased.leaseOf('budget:f');
    expect(lease?.leased).toBeGreaterThan(2_000);
    await leased.apply(Array.from({ length: 20 }, () => ({ key: 'budget:f', released: 100, spent: 60 })));
    expect((await shared.state('budget:f')).spent).toBe(0);
    expect(await leased.read('budget:f', zero)).toBe(1_200);
    const applies = shared.applyCalls;
    await leased.flush();
    expect(shared.applyCalls).toBe(applies + 1);
    expect(await shared.state('budget:f')).toEqual({ spent: 1_200, held: (lease?.leased ?? 0) - 1_200 });
    await leased.close();
    expect(await shared.state('budget:f')).toEqual({ spent: 1_200, held: 0 });
  });

  it('gives idle surplus back without being asked', async () => {
    const shared = new CountingStore();
    const leased = new LeasedCounterStore(shared, { owner: 'server-a', flushIntervalMilliseconds: 5, idleReturnMilliseconds: 50 });
    for (let index = 0; index < 3; index += 1) await leased.hold(budget('budget:i', 100, 10_000_000), zero);
    await leased.apply(Array.from({ length: 3 }, () => ({ key: 'budget:i', released: 100, spent: 100 })));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await shared.state('budget:i')).toEqual({ spent: 300, held: 0 });
    await leased.close();
  });

  it('admits the last request a limit has room for while the room is split between two servers\' remainders', async () => {
    const shared = new CountingStore();
    const first = new LeasedCounterStore(shared, { owner: 'server-a' });
    const second = new LeasedCounterStore(shared, { owner: 'server-b' });
    // Each server holds 750 of a limit of 1,500 and spends 300 of it: 900 is free, but until the next
    // flush it is two remainders of 450, one inside each server's lease.
    expect(await first.hold(budget('budget:split', 750, 1_500), zero)).toBeUndefined();
    expect(await second.hold(budget('budget:split', 750, 1_500), zero)).toBeUndefined();
    await first.apply([{ key: 'budget:split', released: 750, spent: 300 }]);
    await second.apply([{ key: 'budget:split', released: 750, spent: 300 }]);
    expect(await second.hold(budget('budget:split', 750, 1_500), zero)).toBeUndefined();
    expect(await first.hold(budget('budget:split', 750, 1_500), zero)).toMatchObject({ spent: 600, held: 750 });
    await first.close();
    await second.close();
  });
});

const postgresUrl = postgresTestUrl();
const redisUrl = postgresUrl === undefined ? undefined : redisTestUrl();
const config = configSchema.parse({}).billing;

describe.skipIf(postgresUrl === undefined || redisUrl === undefined)('leased counters on Redis and PostgreSQL', () => {
  let opened: Awaited<ReturnType<ReturnType<typeof postgresTarget>['open']>>;
  let database: Database;
  let catalog: CatalogService;

  beforeAll(async () => {
    opened = await postgresTarget(postgresUrl ?? '').open();
    database = opened.database;
    catalog = await seedPricedCatalog(database);
  });
  afterAll(async () => {
    await opened.dispose();
  });

  const journalFor = (repository: ReservationRecoveryRepository): LeaseJournal => ({
    record: async (owner, keys, existing) => repository.recordLease(owner, keys, existing, fixedClock.now().toISOString()),
    remove: async (owner) => repository.removeLease(owner),
  });

  it('two replicas hold exactly a budget of 50 between them, warm leases and all', async () => {
    const replicas = await Promise.all(['lease-1', 'lease-2'].map(async (serverId) => BillingService.open({ database, catalog, config, redisUrl, serverId: newId(serverId), clock: fixedClock })));
    const organisation = newId('org');
    // Room for 500 worst cases: the first requests take leases, the last 50 must still be exact.
    await addBudget(database, organisation, { hardLimit: 500 * 750 });
    for (let index = 0; index < 10; index += 1) await replicas[index % 2]?.reserve(admission(organisation));
    const warm = await Promise.all(Array.from({ length: 440 }, async (_, index) => replicas[index % 2]?.reserve(admission(organisation))));
    expect(warm).toHaveLength(440);
    const outcomes = await Promise.allSettled(Array.from({ length: 200 }, async (_, index) => replicas[index % 2]?.reserve(admission(organisation))));
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(50);
    await Promise.all(replicas.map(async (replica) => replica.close()));
  });

  it('a crashed server\'s lease is released by recovery, and nothing is written to the ledger for it', async () => {
    const prefix = `modelmart:test:${newId('lease')}:`;
    const repository = new ReservationRecoveryRepository(database);
    const crashedId = newId('crashed');
    const crashed = new LeasedCounterStore(new RedisCounterStore(redisUrl ?? '', prefix), { owner: crashedId, journal: journalFor(repository) });
    const key = `budget:${newId('bud')}:2025-06`;
    for (let index = 0; index < 5; index += 1) expect(await crashed.hold(budget(key, 100, 10_000_000), zero)).toBeUndefined();
    const leasedAmount = crashed.leaseOf(key)?.leased ?? 0;
    expect(leasedAmount).toBeGreaterThan(500);
    await crashed.abandon();
    const inspector = new RedisCounterStore(redisUrl ?? '', prefix);
    const seen = await inspector.holdFor('inspector', [{ key, amount: 0, limit: null }], zero);
    expect(seen.states[0]).toEqual({ spent: 0, held: leasedAmount });
    // A restart after the timeout finds the record and releases exactly what the crashed server held.
    const later: Clock = { now: () => new Date(fixedClock.now().getTime() + config.reservationTimeoutMs + 1_000), monotonicMilliseconds: () => 0 };
    const recovered = await repository.recoverLeases(later.now().toISOString());
    const mine = recovered.find((lease) => lease.serverId === crashedId);
    expect(mine?.keys).toEqual([key]);
    expect(await inspector.releaseOwner(crashedId, mine?.keys ?? [])).toBe(leasedAmount);
    expect((await inspector.holdFor('inspector', [{ key, amount: 0, limit: null }], zero)).states[0]).toEqual({ spent: 0, held: 0 });
    expect(await database.kysely.selectFrom('usage_ledger').select('request_id').where('request_id', 'like', 'lease:%').execute()).toEqual([]);
    await inspector.close();
  });

  it('a live server whose record was recovered by another drops its leases and records them anew', async () => {
    const prefix = `modelmart:test:${newId('lease')}:`;
    const repository = new ReservationRecoveryRepository(database);
    const ownerId = newId('stalled');
    const key = `budget:${newId('bud')}:2025-06`;
    const stalled = new LeasedCounterStore(new RedisCounterStore(redisUrl ?? '', prefix), { owner: ownerId, journal: journalFor(repository), heartbeatMilliseconds: 50 });
    for (let index = 0; index < 3; index += 1) expect(await stalled.hold(budget(key, 100, 10_000_000), zero)).toBeUndefined();
    expect(stalled.leaseOf(key)?.leased).toBeGreaterThan(300);
    // Another server takes the record (as if this one had stopped answering) and releases its holds.
    const later = new Date(fixedClock.now().getTime() + config.reservationTimeoutMs + 1_000).toISOString();
    const taken = (await repository.recoverLeases(later)).filter((lease) => lease.serverId === ownerId);
    expect(taken).toHaveLength(1);
    const inspector = new RedisCounterStore(redisUrl ?? '', prefix);
    await inspector.releaseOwner(ownerId, taken[0]?.keys ?? []);
    // Its next heartbeat finds the record gone: the leases are forgotten (they were released) and the record is written again.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(stalled.leaseOf(key)?.leased).toBe(0);
    expect(await database.kysely.selectFrom('reservations').select('request_id').where('request_id', '=', `lease:${ownerId}`).execute()).toHaveLength(1);
    // The requests it still holds settle normally; Redis never goes below what others hold.
    await stalled.apply(Array.from({ length: 3 }, () => ({ key, released: 100, spent: 100 })));
    await stalled.flush();
    expect((await inspector.holdFor('inspector', [{ key, amount: 0, limit: null }], zero)).states[0]).toEqual({ spent: 300, held: 0 });
    await stalled.close();
    await inspector.close();
  });

  it('writes no reservation row for a short request; a long one gets a row listing no holds (its lease record covers them)', async () => {
    const replica = await BillingService.open({ database, catalog, config, redisUrl, serverId: newId('rows'), clock: fixedClock });
    const organisation = newId('org');
    await addBudget(database, organisation, { hardLimit: 1_000 * 750 });
    const rowsOf = async () => database.kysely.selectFrom('reservations').select(['request_id', 'budget_ids']).where('organisation_id', '=', organisation).execute();
    const short = await replica.reserve(admission(organisation));
    await replica.settle(short, usage());
    expect(await rowsOf()).toEqual([]);
    const long = await replica.reserve(admission(organisation));
    await new Promise((resolve) => setTimeout(resolve, 1_600));
    await replica.flush();
    expect(await rowsOf()).toEqual([{ request_id: long.requestId, budget_ids: '[]' }]);
    await replica.settle(long, usage());
    expect(await rowsOf()).toEqual([]);
    await replica.close();
  });

  it('a replica that closes gives its leases back and drops its record', async () => {
    const organisation = newId('org');
    await addBudget(database, organisation, { hardLimit: 40 * 750 });
    const closedId = newId('closed');
    const closed = await BillingService.open({ database, catalog, config, redisUrl, serverId: closedId, clock: fixedClock });
    // Far from the limit: the second request takes a lease.
    for (let index = 0; index < 4; index += 1) await closed.settle(await closed.reserve(admission(organisation)), usage());
    await closed.close();
    const survivor = await BillingService.open({ database, catalog, config, redisUrl, serverId: newId('survivor'), clock: fixedClock });
    // Before recovery: 4 × 450 spent, nothing held (close gave the surplus back), so 37 more fit.
    const first = await Promise.allSettled(Array.from({ length: 60 }, async () => survivor.reserve(admission(organisation))));
    expect(first.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(37);
    await survivor.close();
    const records = await database.kysely.selectFrom('reservations').select('request_id').where('request_id', '=', `lease:${closedId}`).execute();
    expect(records).toEqual([]);
  });
});
