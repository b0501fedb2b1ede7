// A GPT call's settlement posts one revenue_share transaction (caller debited, platform and the
// creator's earnings credited) named by its ledger row, while plain calls settled in the same
// group-commit batch still share one usage transaction.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseTargets } from '../../test/support/test-databases.js';
import { configSchema } from '../config/index.js';
import { newId } from '../core/index.js';
import type { Database } from '../storage/index.js';
import { BillingService } from './billing-service.js';
import { addAccount, admission, fixedClock, seedPricedCatalog, usage } from './billing-test-fixtures.js';

describe.each(testDatabaseTargets())('revenue share at settlement on $name', (target) => {
  let opened: Awaited<ReturnType<typeof target.open>>;
  let database: Database;
  let billing: BillingService;

  beforeAll(async () => {
    opened = await target.open();
    database = opened.database;
    const catalog = await seedPricedCatalog(database);
    billing = await BillingService.open({ database, catalog, config: configSchema.parse({}).billing, serverId: 'server-a', clock: fixedClock });
  });
  afterAll(async () => {
    await billing.close();
    await opened.dispose();
  });

  it('splits a GPT step between platform and creator in one transaction per step', async () => {
    const caller = newId('org');
    const creator = newId('org');
    await addAccount(database, caller, 'prepaid', 1_000_000);
    const share = { creatorOrganisationId: creator, basisPoints: 7_000 };
    const first = await billing.reserve(admission(caller, { gptId: 'gpt_1', revenueShare: share }));
    const second = await billing.reserve(admission(caller, { gptId: 'gpt_1', revenueShare: share }));
    const plain = await billing.reserve(admission(caller));
    // 1,000 in and 500 out at 0.15 / 0.60 per million: 450 micro-units each; the second step 1,000 in, 3 out: 152 (rounded up).
    await Promise.all([billing.settle(first, usage()), billing.settle(second, usage({ completionTokens: 3 })), billing.settle(plain, usage())]);
    await billing.flush();

    const rows = await database.kysely.selectFrom('usage_ledger').select(['request_id', 'gpt_id', 'cost', 'transaction_id']).where('organisation_id', '=', caller).execute();
    expect(rows).toHaveLength(3);
    const byRequest = new Map(rows.map((row) => [row.request_id, row]));
    expect(byRequest.get(first.requestId)).toMatchObject({ gpt_id: 'gpt_1', cost: 450 });
    const secondCost = Number(byRequest.get(second.requestId)?.cost);
    expect(secondCost).toBeGreaterThan(0);

    const transactions = await database.kysely.selectFrom('billing_transactions').selectAll().where('organisation_id', '=', caller).execute();
    const shares = transactions.filter((transaction) => transaction.kind === 'revenue_share');
    expect(shares.map((transaction) => transaction.request_id).sort()).toEqual([first.requestId, second.requestId].sort());
    for (const transaction of shares) {
      expect(transaction.memo).toContain('gpt gpt_1');
      expect(byRequest.get(transaction.request_id ?? '')?.transaction_id).toBe(transaction.id);
    }
    expect(transactions.filter((transaction) => transaction.kind === 'usage')).toHaveLength(1);

    const earnings = await database.kysely.selectFrom('billing_accounts').select('balance').where('organisation_id', '=', creator).where('kind', '=', 'earnings').executeTakeFirstOrThrow();
    expect(Number(earnings.balance)).toBe(Math.floor((450 * 7_000) / 10_000) + Math.floor((secondCost * 7_000) / 10_000));
    const customer = await database.kysely.selectFrom('billing_accounts').select('balance').where('organisation_id', '=', caller).where('kind', '=', 'customer').executeTakeFirstOrThrow();
    expect(Number(customer.balance)).toBe(1_000_000 - 450 - secondCost - 450);
  });
});
