import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testDatabaseTargets, type TestDatabaseTarget } from '../../test/support/test-databases.js';
import { configSchema } from '../config/index.js';
import type { Database } from '../storage/index.js';
import { CreditService } from './credit-service.js';

const billing = configSchema.parse({ billing: { currency: 'USD', exchangeRates: { CNY: 7.1 } } }).billing;

describe.each(testDatabaseTargets())('credits on $name', (target: TestDatabaseTarget) => {
  let opened: Awaited<ReturnType<TestDatabaseTarget['open']>>;
  let database: Database;
  let credits: CreditService;
  beforeEach(async () => {
    opened = await target.open();
    database = opened.database;
    credits = new CreditService({ database, config: billing });
  });
  afterEach(async () => {
    await opened.dispose();
  });

  it('tops up as one balanced transaction from platform funding', async () => {
    const result = await credits.topUp({ organisationId: 'org_a', amount: 5_000_000, currency: 'USD', createdBy: 'key_admin' });
    expect(result).toMatchObject({ organisation_id: 'org_a', credited_amount: 5_000_000, account_currency: 'USD', balance: 5_000_000 });
    const postings = await database.kysely.selectFrom('billing_postings').innerJoin('billing_accounts', 'billing_accounts.id', 'billing_postings.account_id').select(['billing_accounts.kind', 'billing_postings.amount']).where('transaction_id', '=', result.transaction_id).execute();
    expect(postings.map((row) => [row.kind, Number(row.amount)]).sort()).toEqual([
      ['customer', 5_000_000],
      ['platform_funding', -5_000_000],
    ]);
    const balance = await credits.balance('org_a');
    expect(balance).toMatchObject({ exists: true, balance: 5_000_000, mode: 'unlimited', available: null, currency: 'USD' });
  });

  it.each([
    ['negative', -1],
    ['zero', 0],
    ['fractional', 1.5],
    ['not a number', '100'],
  ])('refuses a %s amount with 400 naming amount', async (_label, amount) => {
    await expect(credits.topUp({ organisationId: 'org_a', amount: amount as number, currency: 'USD' })).rejects.toMatchObject({ status: 400, param: 'amount' });
    expect(await database.kysely.selectFrom('billing_transactions').selectAll().execute()).toEqual([]);
  });

  it('converts a top-up in another currency, and refuses one without an exchange rate', async () => {
    const converted = await credits.topUp({ organisationId: 'org_a', amount: 71_000_000, currency: 'CNY' });
    expect(converted).toMatchObject({ credited_amount: 10_000_000, account_currency: 'USD' });
    const strict = new CreditService({ database, config: { ...billing, exchangeRates: {} } });
    await expect(strict.topUp({ organisationId: 'org_a', amount: 1_000_000, currency: 'CNY' })).rejects.toMatchObject({ status: 400, code: 'currency_without_exchange_rate', param: 'currency' });
    expect((await strict.balance('org_a')).balance).toBe(10_000_000);
  });

  it('sets mode, credit limit and currency; the currency is fixed once money moved', async () => {
    expect(await credits.balance('org_new')).toMatchObject({ exists: false, mode: 'unlimited', balance: 0 });
    const set = await credits.setAccount('org_new', { mode: 'postpaid', creditLimit: 2_000_000, currency: 'CNY' });
    expect(set).toMatchObject({ exists: true, mode: 'postpaid', credit_limit: 2_000_000, currency: 'CNY', available: 2_000_000 });
    await credits.setAccount('org_new', { mode: 'prepaid', currency: 'USD' });
    await credits.topUp({ organisationId: 'org_new', amount: 3, currency: 'USD' });
    expect(await credits.balance('org_new')).toMatchObject({ mode: 'prepaid', currency: 'USD', available: 3, credit_limit: 0 });
    await expect(credits.setAccount('org_new', { mode: 'prepaid', currency: 'CNY' })).rejects.toMatchObject({ status: 409, code: 'account_currency_in_use' });
    await expect(credits.setAccount('org_new', { mode: 'sometimes' as 'prepaid' })).rejects.toMatchObject({ status: 400, param: 'mode' });
    await expect(credits.setAccount('org_new', { mode: 'postpaid', creditLimit: -1 })).rejects.toMatchObject({ status: 400, param: 'creditLimit' });
  });

  it('pages through the history newest first with a cursor', async () => {
    for (let index = 1; index <= 5; index += 1) await credits.topUp({ organisationId: 'org_a', amount: index, currency: 'USD' });
    await credits.topUp({ organisationId: 'org_other', amount: 99, currency: 'USD' });
    const first = await credits.transactions('org_a', { limit: 2 });
    expect(first.data).toHaveLength(2);
    expect(first.has_more).toBe(true);
    const seen = [...first.data];
    let cursor = first.next_cursor;
    while (cursor !== null) {
      const page = await credits.transactions('org_a', { limit: 2, after: cursor });
      seen.push(...page.data);
      cursor = page.next_cursor;
    }
    expect(seen.map((entry) => entry.amount).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(new Set(seen.map((entry) => entry.posting_id)).size).toBe(5);
    expect(seen.every((entry) => entry.kind === 'top_up' && entry.account_kind === 'customer')).toBe(true);
    await expect(credits.transactions('org_a', { after: 'nonsense' })).rejects.toMatchObject({ status: 400, param: 'after' });
  });
});
