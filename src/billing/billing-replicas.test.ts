// Two servers (replicas) on one PostgreSQL and one Redis enforce one budget together, and a
// restarted server gives back in Redis what a crashed one held. Runs where both are configured.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresTarget, postgresTestUrl, redisTestUrl } from '../../test/support/test-databases.js';
import type { CatalogService } from '../catalog/index.js';
import { configSchema } from '../config/index.js';
import { newId, type Clock } from '../core/index.js';
import type { Database } from '../storage/index.js';
import { BillingService } from './billing-service.js';
import { addBudget, admission, fixedClock, seedPricedCatalog, usage } from './billing-test-fixtures.js';

const postgresUrl = postgresTestUrl();
const redisUrl = postgresUrl === undefined ? undefined : redisTestUrl();
const config = configSchema.parse({}).billing;

describe.skipIf(postgresUrl === undefined || redisUrl === undefined)('billing replicas on PostgreSQL + Redis', () => {
  let opened: Awaited<ReturnType<ReturnType<typeof postgresTarget>['open']>>;
  let database: Database;
  let catalog: CatalogService;
  let first: BillingService;
  let second: BillingService;

  beforeAll(async () => {
    opened = await postgresTarget(postgresUrl ?? '').open();
    database = opened.database;
    catalog = await seedPricedCatalog(database);
    first = await BillingService.open({ database, catalog, config, redisUrl, serverId: 'replica-1', clock: fixedClock });
    second = await BillingService.open({ database, catalog, config, redisUrl, serverId: 'replica-2', clock: fixedClock });
  });
  afterAll(async () => {
    await Promise.all([first.close(), second.close()]);
    await opened.dispose();
  });

  it('admits exactly what one budget fits across both replicas, before and after settling', async () => {
    const organisation = newId('org');
    await addBudget(database, organisation, { hardLimit: 50 * 750 });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 200 }, async (_, index) => {
        const replica = index % 2 === 0 ? first : second;
        return { replica, reservation: await replica.reserve(admission(organisation)) };
      }),
    );
    const admitted = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
    expect(admitted).toHaveLength(50);
    // Each server settles what it reserved, at 450 each: 22,500 spent, 15,000 left, room for exactly 20 more worst cases.
    await Promise.all(admitted.map(({ replica, reservation }) => replica.settle(reservation, usage())));
    const more = await Promise.allSettled(Array.from({ length: 60 }, (_, index) => (index % 2 === 0 ? first : second).reserve(admission(organisation))));
    expect(more.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(20);
  });

  it('a restarted server releases in Redis what a crashed server held', async () => {
    const organisation = newId('org');
    await addBudget(database, organisation, { hardLimit: 2 * 750 });
    const crashed = await BillingService.open({ database, catalog, config, redisUrl, serverId: 'crashed', clock: fixedClock });
    await crashed.reserve(admission(organisation));
    await crashed.reserve(admission(organisation));
    await crashed.close(); // never settled: its holds stay in Redis, its reservation rows in the table
    await expect(first.reserve(admission(organisation))).rejects.toMatchObject({ status: 402 });
    const later: Clock = { now: () => new Date(fixedClock.now().getTime() + config.reservationTimeoutMs + 1_000), monotonicMilliseconds: () => 0 };
    const restarted = await BillingService.open({ database, catalog, config, redisUrl, serverId: 'restarted', clock: later });
    await restarted.close();
    expect(await first.reserve(admission(organisation))).toMatchObject({ amount: 750 });
    const interrupted = await database.kysely.selectFrom('usage_ledger').select(['status', 'cost']).where('organisation_id', '=', organisation).execute();
    expect(interrupted).toEqual([{ status: 'interrupted', cost: 0 }, { status: 'interrupted', cost: 0 }]);
  });
});
