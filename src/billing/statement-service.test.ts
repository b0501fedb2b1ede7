import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testDatabaseTargets, type TestDatabaseTarget } from '../../test/support/test-databases.js';
import { configSchema, type Currency } from '../config/index.js';
import type { Database } from '../storage/index.js';
import { ensureAccount, postTransaction } from './billing-postings.js';
import { CreditService } from './credit-service.js';
import { creditRevenueShare } from './revenue-share.js';
import { StatementService } from './statement-service.js';
import { ledgerRow } from './__fixtures__/usage-ledger-rows.js';

const billing = configSchema.parse({}).billing;
const clockAt = (iso: string) => ({ now: () => new Date(iso), monotonicMilliseconds: () => 0 });

describe.each(testDatabaseTargets())('statements on $name', (target: TestDatabaseTarget) => {
  let opened: Awaited<ReturnType<TestDatabaseTarget['open']>>;
  let database: Database;
  beforeEach(async () => {
    opened = await target.open();
    database = opened.database;
  });
  afterEach(async () => {
    await opened.dispose();
  });

  /** A usage request as the metering core records it: a ledger row and its usage transaction. */
  async function charge(requestId: string, createdAt: string, cost: number, model: string, project: string, currency: Currency = 'USD'): Promise<void> {
    await database.kysely.transaction().execute(async (transaction) => {
      const customer = await ensureAccount(transaction, { organisationId: 'org_a', kind: 'customer', currency });
      const revenue = await ensureAccount(transaction, { organisationId: null, kind: 'platform_revenue', currency });
      const transactionId = await postTransaction(transaction, {
        kind: 'usage',
        organisationId: 'org_a',
        requestId,
        createdAt,
        lines: [
          { accountId: customer.id, amount: -cost, currency },
          { accountId: revenue.id, amount: cost, currency },
        ],
      });
      await transaction.insertInto('usage_ledger').values(ledgerRow({ request_id: requestId, created_at: createdAt, cost, model, project_id: project, transaction_id: transactionId })).execute();
    });
  }

  it('adds up: opening + credits − usage = closing, and usage equals the ledger', async () => {
    await new CreditService({ database, config: billing, clock: clockAt('2026-10-20T00:00:00.000Z') }).topUp({ organisationId: 'org_a', amount: 10_000_000, currency: 'USD' });
    await charge('old', '2026-10-31T23:59:59.999Z', 1_000_000, 'chat-default', 'proj_a');
    await new CreditService({ database, config: billing, clock: clockAt('2026-11-03T00:00:00.000Z') }).topUp({ organisationId: 'org_a', amount: 5_000_000, currency: 'USD', memo: 'November, "bonus"' });
    let expectedUsage = 0;
    for (let index = 0; index < 30; index += 1) {
      const cost = 1_000 + index * 37;
      expectedUsage += cost;
      await charge(`r${index}`, `2026-11-${String((index % 28) + 1).padStart(2, '0')}T12:00:00.000Z`, cost, index % 3 === 0 ? 'qwen-max' : 'chat-default', index % 2 === 0 ? 'proj_a' : 'proj_b');
    }
    await charge('next', '2026-12-01T00:00:00.000Z', 5, 'chat-default', 'proj_a');
    await database.kysely.transaction().execute((transaction) =>
      creditRevenueShare(transaction, { requestId: 'gpt_1', callerOrganisationId: 'org_z', creatorOrganisationId: 'org_a', amount: 999, currency: 'USD', shareBasisPoints: 5_000, createdAt: '2026-11-15T00:00:00.000Z' }),
    );

    const statement = await new StatementService(database, billing).statement('org_a', '2026-11');
    const ledger = await database.kysely.selectFrom('usage_ledger').select((builder) => builder.fn.sum<number>('cost').as('sum')).where('organisation_id', '=', 'org_a').where('created_at', '>=', '2026-11-01T00:00:00.000Z').where('created_at', '<', '2026-12-01T00:00:00.000Z').executeTakeFirstOrThrow();
    expect(statement.usage_total).toBe(Number(ledger.sum));
    expect(statement.usage_total).toBe(expectedUsage);
    expect(statement.usage_charged).toBe(expectedUsage);
    expect(statement.usage_by_model.reduce((sum, line) => sum + line.cost, 0)).toBe(expectedUsage);
    expect(statement.usage_by_project.reduce((sum, line) => sum + line.cost, 0)).toBe(expectedUsage);
    expect(statement.usage_by_project.map((line) => [line.name, line.requests])).toEqual([
      ['proj_a', 15],
      ['proj_b', 15],
    ]);
    expect(statement.opening_balance).toBe(9_000_000);
    expect(statement.credits).toHaveLength(1);
    expect(statement.credits_total).toBe(5_000_000);
    expect(statement.earnings).toEqual([{ currency: 'USD', amount: 499 }]);
    expect(statement.closing_balance).toBe(statement.opening_balance + statement.credits_total - statement.usage_charged);
    const balance = await new CreditService({ database, config: billing }).balance('org_a');
    expect(balance.balance).toBe(statement.closing_balance - 5);

    const csv = StatementService.toCsv(statement);
    expect(csv.split('\r\n')[0]).toBe('section,name,date,requests,prompt_tokens,completion_tokens,amount,currency');
    expect(csv).toContain('top_up,"November, ""bonus""",2026-11-03T00:00:00.000Z,,,,5000000,USD');
    expect(csv).toContain(`usage_total,,,,,,${-expectedUsage},USD`);
    expect(csv).toContain(`closing_balance,,,,,,${statement.closing_balance},USD`);
  }, 60_000);

  it('answers an organisation without an account with zeros, and refuses a bad month', async () => {
    const statements = new StatementService(database, billing);
    expect(await statements.statement('org_none', '2026-02')).toMatchObject({ opening_balance: 0, closing_balance: 0, usage_total: 0, credits: [], period_start: '2026-02-01T00:00:00.000Z', period_end: '2026-03-01T00:00:00.000Z' });
    await expect(statements.statement('org_none', '2026-13')).rejects.toMatchObject({ status: 400, param: 'month' });
  });
});
