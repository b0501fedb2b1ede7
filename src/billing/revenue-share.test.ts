import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testDatabaseTargets, type TestDatabaseTarget } from '../../test/support/test-databases.js';
import type { Database } from '../storage/index.js';
import { creatorShareOf, creditRevenueShare } from './revenue-share.js';

describe('creator share rounding', () => {
  it('rounds the creator share down and the parts always sum to the amount', () => {
    expect(creatorShareOf(1_000_000, 7_000)).toBe(700_000);
    expect(creatorShareOf(3, 5_000)).toBe(1);
    expect(creatorShareOf(9_007_199_254_740_991, 3_333)).toBe(Number((9_007_199_254_740_991n * 3_333n) / 10_000n));
    for (let amount = 0; amount < 500; amount += 7) {
      const share = creatorShareOf(amount, 3_333);
      expect(share).toBeLessThanOrEqual((amount * 3_333) / 10_000);
      expect(amount - share).toBeGreaterThanOrEqual(0);
    }
  });
});

describe.each(testDatabaseTargets())('revenue share on $name', (target: TestDatabaseTarget) => {
  let opened: Awaited<ReturnType<TestDatabaseTarget['open']>>;
  let database: Database;
  beforeEach(async () => {
    opened = await target.open();
    database = opened.database;
  });
  afterEach(async () => {
    await opened.dispose();
  });

  it('charges the caller and splits platform and creator in one transaction', async () => {
    const result = await database.kysely.transaction().execute((transaction) =>
      creditRevenueShare(transaction, { requestId: 'req_1', callerOrganisationId: 'org_caller', creatorOrganisationId: 'org_creator', amount: 1_000_003, currency: 'USD', shareBasisPoints: 7_000, createdAt: '2026-11-28T12:00:00.000Z' }),
    );
    expect(result).toMatchObject({ creatorShare: 700_002, platformShare: 300_001 });
    const transactions = await database.kysely.selectFrom('billing_transactions').selectAll().execute();
    expect(transactions).toHaveLength(1);
    expect(transactions[0]).toMatchObject({ kind: 'revenue_share', request_id: 'req_1', organisation_id: 'org_caller' });
    const balances = await database.kysely.selectFrom('billing_accounts').select(['organisation_id', 'kind', 'balance']).execute();
    const byKind = new Map(balances.map((row) => [`${row.organisation_id ?? 'platform'}/${row.kind}`, Number(row.balance)]));
    expect(byKind).toEqual(
      new Map([
        ['org_caller/customer', -1_000_003],
        ['platform/platform_revenue', 300_001],
        ['org_creator/earnings', 700_002],
      ]),
    );
    const percent = await database.kysely.transaction().execute((transaction) =>
      creditRevenueShare(transaction, { requestId: 'req_2', callerOrganisationId: 'org_caller', creatorOrganisationId: 'org_creator', amount: 10, currency: 'USD', sharePercent: 33.33, createdAt: '2026-11-28T12:00:01.000Z' }),
    );
    expect(percent).toMatchObject({ creatorShare: 3, platformShare: 7 });
    await expect(
      database.kysely.transaction().execute((transaction) =>
        creditRevenueShare(transaction, { requestId: 'req_3', callerOrganisationId: 'org_caller', creatorOrganisationId: 'org_creator', amount: 10, currency: 'USD', createdAt: '2026-11-28T12:00:01.000Z' }),
      ),
    ).rejects.toMatchObject({ status: 400 });
  });
});
