// The ledger balances: many concurrent, mixed settlements (successes, failures with and without
// tokens, cancellations, duplicates) leave ledger costs, usage postings and an independent
// computation from the inputs equal to the micro-unit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { postgresTestUrl, redisTestUrl, testDatabaseTargets } from '../../test/support/test-databases.js';
import { configSchema } from '../config/index.js';
import { newId } from '../core/index.js';
import type { Database } from '../storage/index.js';
import { BillingService } from './billing-service.js';
import type { SettledUsage } from './billing-settlement.js';
import { admission, fixedClock, seedPricedCatalog, usage } from './billing-test-fixtures.js';

const redisUrl = postgresTestUrl() === undefined ? undefined : redisTestUrl();
const targets = testDatabaseTargets().map((target) => ({ target, name: target.name, redisUrl: target.name === 'postgres' ? redisUrl : undefined }));

/** What the test price charges, computed here without the code under test: (uncached × 0.15 + cached × 0.075 + completion × 0.6) micro-units, half up. */
function expectedCost(event: SettledUsage): bigint {
  if (event.status !== 'ok' && event.promptTokens + event.completionTokens === 0) return 0n;
  const scaled = BigInt(event.promptTokens - event.cachedTokens) * 150_000n + BigInt(event.cachedTokens) * 75_000n + BigInt(event.completionTokens) * 600_000n;
  return (scaled * 2n + 1_000_000n) / 2_000_000n;
}

describe.each(targets)('the usage ledger balances on $name (redis: $redisUrl)', ({ target, redisUrl: url }) => {
  let opened: Awaited<ReturnType<typeof target.open>>;
  let database: Database;
  let billing: BillingService;

  beforeAll(async () => {
    opened = await target.open();
    database = opened.database;
    const catalog = await seedPricedCatalog(database);
    billing = await BillingService.open({ database, catalog, config: configSchema.parse({}).billing, redisUrl: url, serverId: 'ledger', clock: fixedClock });
  });
  afterAll(async () => {
    await billing.close();
    await opened.dispose();
  });

  it('1,000 concurrent mixed settlements: sum of costs = sum of usage postings = the independent sum', async () => {
    const organisation = newId('org');
    let seed = 7;
    const random = (limit: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % limit;
    };
    const reservations = await Promise.all(Array.from({ length: 1_000 }, () => billing.reserve(admission(organisation))));
    const events = reservations.map((_, index): SettledUsage => {
      const prompt = 1 + random(5_000);
      const kind = index % 5;
      if (kind === 1) return usage({ promptTokens: 0, completionTokens: 0, status: 'error', errorCode: 'upstream_error' });
      if (kind === 2) return usage({ promptTokens: prompt, completionTokens: random(50), status: 'error', errorCode: 'stream_broken' });
      if (kind === 3) return usage({ promptTokens: prompt, completionTokens: random(300), cachedTokens: random(prompt), status: 'cancelled' });
      return usage({ promptTokens: prompt, completionTokens: random(1_000), cachedTokens: random(prompt) });
    });
    // Every fifth request (kind 4) is settled twice, once with different numbers: only the first write counts.
    const settles = reservations.flatMap((reservation, index) => {
      const event = events[index] ?? usage();
      return index % 5 === 4 ? [billing.settle(reservation, event), billing.settle(reservation, { ...event, completionTokens: event.completionTokens + 7 })] : [billing.settle(reservation, event)];
    });
    await Promise.all(settles);
    await billing.flush();

    const expected = events.reduce((sum, event) => sum + expectedCost(event), 0n);
    const ledger = await database.kysely
      .selectFrom('usage_ledger')
      .select([sql<number>`count(*)`.as('rows'), sql<number | string>`sum(cost)`.as('cost')])
      .where('organisation_id', '=', organisation)
      .executeTakeFirstOrThrow();
    const postings = await database.kysely
      .selectFrom('billing_postings')
      .innerJoin('billing_transactions', 'billing_transactions.id', 'billing_postings.transaction_id')
      .innerJoin('billing_accounts', 'billing_accounts.id', 'billing_postings.account_id')
      .select(sql<number | string>`sum(billing_postings.amount)`.as('amount'))
      .where('billing_transactions.kind', '=', 'usage')
      .where('billing_transactions.organisation_id', '=', organisation)
      .where('billing_accounts.kind', '=', 'customer')
      .executeTakeFirstOrThrow();
    const balance = await database.kysely.selectFrom('billing_accounts').select('balance').where('organisation_id', '=', organisation).executeTakeFirstOrThrow();
    expect(Number(ledger.rows)).toBe(1_000);
    expect(BigInt(ledger.cost)).toBe(expected);
    expect(-BigInt(postings.amount)).toBe(expected);
    expect(-BigInt(balance.balance)).toBe(expected);
    // Usage moves money once per batch and organisation (the ledger rows name their transaction):
    // every charged row points at a usage transaction, and each transaction sums to zero.
    const charged = await database.kysely.selectFrom('usage_ledger').select(sql<number>`count(*)`.as('count')).where('organisation_id', '=', organisation).where('transaction_id', 'is not', null).executeTakeFirstOrThrow();
    expect(Number(charged.count)).toBe(events.filter((event) => expectedCost(event) > 0n).length);
    const unbalanced = await database.kysely
      .selectFrom('billing_postings')
      .innerJoin('billing_transactions', 'billing_transactions.id', 'billing_postings.transaction_id')
      .select('billing_transactions.id')
      .where('billing_transactions.organisation_id', '=', organisation)
      .groupBy('billing_transactions.id')
      .having(sql<number>`sum(billing_postings.amount)`, '<>', 0)
      .execute();
    expect(unbalanced).toEqual([]);
    const orphans = await database.kysely
      .selectFrom('usage_ledger')
      .leftJoin('billing_transactions', 'billing_transactions.id', 'usage_ledger.transaction_id')
      .select('usage_ledger.request_id')
      .where('usage_ledger.organisation_id', '=', organisation)
      .where('usage_ledger.transaction_id', 'is not', null)
      .where('billing_transactions.id', 'is', null)
      .execute();
    expect(orphans).toEqual([]);
    expect(await database.kysely.selectFrom('reservations').select('request_id').where('organisation_id', '=', organisation).execute()).toEqual([]);
  }, 60_000);
});
