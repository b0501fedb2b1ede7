import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testDatabaseTargets, type TestDatabaseTarget } from '../../test/support/test-databases.js';
import type { Database } from '../storage/index.js';
import { ensureAccount, postTransaction, postTransactions, type BillingAccount } from './billing-postings.js';

const now = '2026-11-28T12:00:00.000Z';

async function balancesMatchPostings(database: Database): Promise<void> {
  const accounts = await database.kysely.selectFrom('billing_accounts').select(['id', 'balance']).execute();
  const sums = await database.kysely.selectFrom('billing_postings').select(['account_id']).select((builder) => builder.fn.sum<number>('amount').as('total')).groupBy('account_id').execute();
  const byAccount = new Map(sums.map((row) => [row.account_id, Number(row.total)]));
  for (const account of accounts) expect(Number(account.balance)).toBe(byAccount.get(account.id) ?? 0);
}

describe.each(testDatabaseTargets())('billing postings on $name', (target: TestDatabaseTarget) => {
  let opened: Awaited<ReturnType<TestDatabaseTarget['open']>>;
  let database: Database;
  beforeEach(async () => {
    opened = await target.open();
    database = opened.database;
  });
  afterEach(async () => {
    await opened.dispose();
  });

  async function accounts(): Promise<{ funding: BillingAccount; customer: BillingAccount; revenue: BillingAccount }> {
    return database.kysely.transaction().execute(async (transaction) => ({
      funding: await ensureAccount(transaction, { organisationId: null, kind: 'platform_funding', currency: 'USD' }),
      customer: await ensureAccount(transaction, { organisationId: 'org_a', kind: 'customer', currency: 'USD', mode: 'prepaid' }),
      revenue: await ensureAccount(transaction, { organisationId: null, kind: 'platform_revenue', currency: 'USD' }),
    }));
  }

  it('creates an account once, even when many writers ask at the same time', async () => {
    const created = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        database.kysely.transaction().execute((transaction) =>
          ensureAccount(transaction, index % 2 === 0 ? { organisationId: null, kind: 'platform_revenue', currency: 'CNY' } : { organisationId: 'org_b', kind: 'customer', currency: 'CNY', mode: 'postpaid' }),
        ),
      ),
    );
    expect(new Set(created.map((account) => account.id)).size).toBe(2);
    const customer = created.find((account) => account.kind === 'customer');
    expect(customer?.mode).toBe('postpaid');
    expect(customer?.balance).toBe(0);
    const rows = await database.kysely.selectFrom('billing_accounts').selectAll().execute();
    expect(rows).toHaveLength(2);
  });

  it('posts a balanced transaction and moves both balances', async () => {
    const { funding, customer } = await accounts();
    const id = await database.kysely.transaction().execute((transaction) =>
      postTransaction(transaction, {
        kind: 'top_up',
        organisationId: 'org_a',
        memo: 'first',
        createdAt: now,
        lines: [
          { accountId: funding.id, amount: -5_000_000, currency: 'USD' },
          { accountId: customer.id, amount: 5_000_000, currency: 'USD' },
        ],
      }),
    );
    const stored = await database.kysely.selectFrom('billing_transactions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ kind: 'top_up', organisation_id: 'org_a', memo: 'first' });
    const balances = await database.kysely.selectFrom('billing_accounts').select(['id', 'balance']).orderBy('id').execute();
    expect(new Map(balances.map((row) => [row.id, Number(row.balance)]))).toEqual(
      new Map([
        [funding.id, -5_000_000],
        [customer.id, 5_000_000],
        [(await accounts()).revenue.id, 0],
      ]),
    );
    await balancesMatchPostings(database);
  });

  it('refuses unbalanced, fractional and unknown-account postings and writes nothing', async () => {
    const { funding, customer } = await accounts();
    const attempt = (lines: { accountId: string; amount: number; currency: 'USD' | 'CNY' }[]) =>
      database.kysely.transaction().execute((transaction) => postTransaction(transaction, { kind: 'adjustment', organisationId: null, createdAt: now, lines }));
    await expect(attempt([{ accountId: customer.id, amount: 10, currency: 'USD' }])).rejects.toMatchObject({ status: 400, code: 'unbalanced_transaction' });
    await expect(
      attempt([
        { accountId: funding.id, amount: -10, currency: 'USD' },
        { accountId: customer.id, amount: 10, currency: 'CNY' },
      ]),
    ).rejects.toMatchObject({ code: 'unbalanced_transaction' });
    await expect(
      attempt([
        { accountId: funding.id, amount: -1.5, currency: 'USD' },
        { accountId: customer.id, amount: 1.5, currency: 'USD' },
      ]),
    ).rejects.toMatchObject({ status: 400, param: 'amount' });
    await expect(attempt([])).rejects.toMatchObject({ code: 'unbalanced_transaction' });
    await expect(
      attempt([
        { accountId: funding.id, amount: -10, currency: 'USD' },
        { accountId: 'acct_missing', amount: 10, currency: 'USD' },
      ]),
    ).rejects.toMatchObject({ code: 'account_not_found' });
    expect(await database.kysely.selectFrom('billing_postings').selectAll().execute()).toEqual([]);
    expect(await database.kysely.selectFrom('billing_transactions').selectAll().execute()).toEqual([]);
    await balancesMatchPostings(database);
  });

  it('keeps balances exact under concurrent writers and batches', async () => {
    const { funding, customer, revenue } = await accounts();
    const singles = Array.from({ length: 40 }, (_, index) =>
      database.kysely.transaction().execute((transaction) =>
        postTransaction(transaction, {
          kind: 'top_up',
          organisationId: 'org_a',
          createdAt: now,
          lines: [
            { accountId: funding.id, amount: -(index + 1), currency: 'USD' },
            { accountId: customer.id, amount: index + 1, currency: 'USD' },
          ],
        }),
      ),
    );
    const batches = Array.from({ length: 5 }, (_, batch) =>
      database.kysely.transaction().execute((transaction) =>
        postTransactions(
          transaction,
          Array.from({ length: 300 }, (_, index) => ({
            kind: 'usage' as const,
            organisationId: 'org_a',
            requestId: `req_${batch}_${index}`,
            createdAt: now,
            lines: [
              { accountId: customer.id, amount: -7, currency: 'USD' as const },
              { accountId: revenue.id, amount: 7, currency: 'USD' as const },
            ],
          })),
        ),
      ),
    );
    await Promise.all([...singles, ...batches]);
    const balances = new Map((await database.kysely.selectFrom('billing_accounts').select(['id', 'balance']).execute()).map((row) => [row.id, Number(row.balance)]));
    expect(balances.get(funding.id)).toBe(-820);
    expect(balances.get(revenue.id)).toBe(5 * 300 * 7);
    expect(balances.get(customer.id)).toBe(820 - 5 * 300 * 7);
    const count = await database.kysely.selectFrom('billing_postings').select((builder) => builder.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
    expect(Number(count.count)).toBe(40 * 2 + 5 * 300 * 2);
    await balancesMatchPostings(database);
  }, 60_000);
});
