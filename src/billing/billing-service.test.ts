import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseTargets } from '../../test/support/test-databases.js';
import type { CatalogService } from '../catalog/index.js';
import { configSchema } from '../config/index.js';
import { newId } from '../core/index.js';
import type { Database } from '../storage/index.js';
import { Registry } from 'prom-client';
import { registerBillingMetrics } from './billing-metrics.js';
import { BillingService } from './billing-service.js';
import { addAccount, addBudget, admission, fixedClock, fixedNow, seedPricedCatalog, usage } from './billing-test-fixtures.js';

const billingConfig = (overrides: Record<string, unknown> = {}) => configSchema.parse({ billing: overrides }).billing;

describe.each(testDatabaseTargets())('billing service on $name', (target) => {
  let opened: Awaited<ReturnType<typeof target.open>>;
  let database: Database;
  let catalog: CatalogService;
  let billing: BillingService;
  let webhook: Server;
  const notices: unknown[] = [];

  beforeAll(async () => {
    opened = await target.open();
    database = opened.database;
    catalog = await seedPricedCatalog(database);
    webhook = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        notices.push(JSON.parse(body));
        response.end('ok');
      });
    });
    await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/notices`;
    billing = await BillingService.open({ database, catalog, config: billingConfig({ softLimitWebhookUrl: url, exchangeRates: { CNY: 7.1 } }), serverId: 'server-a', clock: fixedClock });
  });
  afterAll(async () => {
    await billing.close();
    await new Promise((resolve) => webhook.close(resolve));
    await opened.dispose();
  });

  const ledger = (requestId: string) => database.kysely.selectFrom('usage_ledger').selectAll().where('request_id', '=', requestId).execute();

  it('holds the worst case and settles the real cost once, even when settled twice', async () => {
    const organisation = newId('org');
    const reservation = await billing.reserve(admission(organisation));
    expect(reservation).toMatchObject({ amount: 750, currency: 'USD' });
    // Held in memory, the reservation is recorded once its request has run for a second.
    await new Promise((resolve) => setTimeout(resolve, 1_600));
    await billing.flush();
    expect(await database.kysely.selectFrom('reservations').select('amount').where('request_id', '=', reservation.requestId).execute()).toEqual([{ amount: 750 }]);
    await Promise.all([billing.settle(reservation, usage()), billing.settle(reservation, usage())]);
    await billing.settle(reservation, usage({ completionTokens: 999 }));
    const rows = await ledger(reservation.requestId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ cost: 450, currency: 'USD', price_model_id: 'test-mini', status: 'ok', model: 'chat-test', provider: 'openai', day: '2025-06-15' });
    const postings = await database.kysely.selectFrom('billing_postings').innerJoin('billing_transactions', 'billing_transactions.id', 'billing_postings.transaction_id').select(['amount']).where('request_id', '=', reservation.requestId).execute();
    expect(postings.map((posting) => posting.amount).sort((left, right) => left - right)).toEqual([-450, 450]);
    expect(await database.kysely.selectFrom('reservations').selectAll().where('request_id', '=', reservation.requestId).execute()).toEqual([]);
  });

  it('records a failed request without tokens at no cost and without a transaction; an unpriced model costs nothing', async () => {
    const organisation = newId('org');
    const failed = await billing.reserve(admission(organisation));
    await billing.settle(failed, usage({ promptTokens: 0, completionTokens: 0, status: 'error', errorCode: 'upstream_timeout' }));
    expect((await ledger(failed.requestId))[0]).toMatchObject({ cost: 0, status: 'error', error_code: 'upstream_timeout', transaction_id: null });
    const cancelled = await billing.reserve(admission(organisation));
    await billing.settle(cancelled, usage({ completionTokens: 100, status: 'cancelled' }));
    expect((await ledger(cancelled.requestId))[0]).toMatchObject({ cost: 210, status: 'cancelled' });
    const unpriced = await billing.reserve(admission(organisation, { publicModel: 'nobody/knows', pricedModels: ['nobody/knows'] }));
    expect(unpriced.amount).toBe(0);
    await billing.settle(unpriced, usage({ providerId: 'nobody', upstreamModel: 'knows' }));
    expect((await ledger(unpriced.requestId))[0]).toMatchObject({ cost: 0, price_model_id: null });
  });

  it('refuses past a hard budget limit, saying which budget, what is left and what the request may cost', async () => {
    const organisation = newId('org');
    await addBudget(database, organisation, { scopeType: 'project', scopeId: `${organisation}-project`, hardLimit: 1_000 });
    const first = await billing.reserve(admission(organisation));
    await expect(billing.reserve(admission(organisation))).rejects.toMatchObject({ status: 402, code: 'insufficient_quota', message: expect.stringMatching(/project .* hard limit of 0\.001000 USD and 0\.000250 USD left .* may cost up to 0\.000750 USD/) });
    await billing.release(first);
    const second = await billing.reserve(admission(organisation));
    await billing.settle(second, usage());
    // 450 spent, 550 left: a worst case of 750 no longer fits.
    await expect(billing.reserve(admission(organisation))).rejects.toMatchObject({ status: 402 });
    expect(await billing.reserve(admission(organisation, { maxOutputTokens: 500 }))).toMatchObject({ amount: 450 });
  });

  it('release drops the hold without a ledger entry', async () => {
    const organisation = newId('org');
    await addBudget(database, organisation, { hardLimit: 750 });
    const refused = await billing.reserve(admission(organisation));
    await expect(billing.reserve(admission(organisation))).rejects.toMatchObject({ status: 402 });
    await billing.release(refused);
    await billing.release(refused);
    const next = await billing.reserve(admission(organisation));
    await new Promise((resolve) => setTimeout(resolve, 1_600));
    await billing.flush();
    expect(await ledger(refused.requestId)).toEqual([]);
    const rows = await database.kysely.selectFrom('reservations').select('request_id').where('organisation_id', '=', organisation).execute();
    expect(rows).toEqual([{ request_id: next.requestId }]);
  });

  it('reserveNow holds without waiting once terms, prices and counters are at hand, and refuses as reserve does', async () => {
    const organisation = newId('org');
    await addBudget(database, organisation, { hardLimit: 1_500 });
    // Nothing known about the organisation yet: it needs a wait.
    expect(billing.reserveNow(admission(organisation))).toBeUndefined();
    const first = await billing.reserve(admission(organisation));
    const second = billing.reserveNow(admission(organisation));
    expect(second).toMatchObject({ amount: 750, currency: 'USD' });
    expect(() => billing.reserveNow(admission(organisation))).toThrow(expect.objectContaining({ status: 402 }) as Error);
    await billing.settle(first, usage());
    if (second !== undefined) await billing.release(second);
    // 450 spent of 1,500: one more worst case of 750 fits, a second does not.
    const third = billing.reserveNow(admission(organisation)) ?? (await billing.reserve(admission(organisation)));
    await expect(billing.reserve(admission(organisation))).rejects.toMatchObject({ status: 402 });
    await billing.release(third);
  });

  it('a settlement whose batch cannot be written frees its hold and charges nothing', async () => {
    const organisation = newId('org');
    await addBudget(database, organisation, { hardLimit: 750 });
    const reservation = await billing.reserve(admission(organisation));
    await expect(billing.reserve(admission(organisation))).rejects.toMatchObject({ status: 402 });
    await database.kysely.schema.alterTable('usage_ledger').renameTo('usage_ledger_away').execute();
    try {
      await billing.settle(reservation, usage()).catch(() => undefined);
      await billing.flush();
    } finally {
      await database.kysely.schema.alterTable('usage_ledger_away').renameTo('usage_ledger').execute();
    }
    expect(await ledger(reservation.requestId)).toEqual([]);
    // Nothing was spent and nothing stays held: the whole budget fits one worst case again.
    const next = await billing.reserve(admission(organisation));
    await billing.release(next);
  });

  it('counts spend and tokens in Prometheus counters by organisation and model', async () => {
    const registry = new Registry();
    const metered = await BillingService.open({ database, catalog, config: billingConfig(), serverId: 'server-metrics', clock: fixedClock });
    metered.useMetrics(registerBillingMetrics(registry));
    const organisation = newId('org');
    const reservation = await metered.reserve(admission(organisation));
    await metered.settle(reservation, usage({ cachedTokens: 200 }));
    await metered.settle(reservation, usage());
    await metered.close();
    const text = await registry.metrics();
    expect(text).toContain(`modelmart_billing_spend_micro_units_total{organisation="${organisation}",model="chat-test",currency="USD"} 435`);
    expect(text).toContain(`modelmart_billing_tokens_total{organisation="${organisation}",model="chat-test",kind="completion"} 500`);
  });

  it('refuses everything under a budget of zero', async () => {
    const organisation = newId('org');
    await addBudget(database, organisation, { scopeType: 'key', scopeId: `${organisation}-key`, hardLimit: 0, period: 'day' });
    await expect(billing.reserve(admission(organisation, { pricedModels: ['nobody/knows'] }))).rejects.toMatchObject({ status: 402, code: 'insufficient_quota' });
  });

  it('refuses past a prepaid balance and past a postpaid credit limit', async () => {
    const prepaid = newId('org');
    await addAccount(database, prepaid, 'prepaid', 1_000);
    const held = await billing.reserve(admission(prepaid));
    await expect(billing.reserve(admission(prepaid))).rejects.toMatchObject({ status: 402, code: 'insufficient_quota', message: expect.stringMatching(/prepaid balance leaves 0\.000250 USD/) });
    await billing.settle(held, usage({ completionTokens: 0 }));
    expect(await database.kysely.selectFrom('billing_accounts').select('balance').where('organisation_id', '=', prepaid).executeTakeFirst()).toEqual({ balance: 850 });
    const postpaid = newId('org');
    await addAccount(database, postpaid, 'postpaid', 0, 1_500);
    await billing.reserve(admission(postpaid));
    await billing.reserve(admission(postpaid));
    await expect(billing.reserve(admission(postpaid))).rejects.toMatchObject({ status: 402, message: expect.stringMatching(/credit limit/) });
  });

  it('admits exactly as many concurrent requests as the budget fits', async () => {
    const organisation = newId('org');
    await addBudget(database, organisation, { hardLimit: 50 * 750 });
    const outcomes = await Promise.allSettled(Array.from({ length: 200 }, () => billing.reserve(admission(organisation))));
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(50);
    expect(outcomes.filter((outcome) => outcome.status === 'rejected').every((outcome) => (outcome as PromiseRejectedResult).reason.status === 402)).toBe(true);
  });

  it('applies plans: markup, volume tier, subscription allowance, free-tier cap', async () => {
    const marked = newId('org');
    await billing.setPlan(marked, { kind: 'pay_as_you_go', adjustment_basis_points: 1_500 });
    expect(await billing.getPlan(marked)).toMatchObject({ adjustment_basis_points: 1_500 });
    const markedReservation = await billing.reserve(admission(marked));
    expect(markedReservation.amount).toBe(863); // 750 × 1.15 = 862.5, held rounded up
    await billing.settle(markedReservation, usage());
    expect((await ledger(markedReservation.requestId))[0]?.cost).toBe(518);

    const tiered = newId('org');
    await billing.setPlan(tiered, { kind: 'pay_as_you_go', volume_tiers: [{ monthly_spend_above: 400, discount_basis_points: 1_000 }] });
    const beforeTier = await billing.reserve(admission(tiered));
    await billing.settle(beforeTier, usage());
    const pastTier = await billing.reserve(admission(tiered));
    await billing.settle(pastTier, usage()); // the month's 450 passed 400: 10 % off
    expect([(await ledger(beforeTier.requestId))[0]?.cost, (await ledger(pastTier.requestId))[0]?.cost]).toEqual([450, 405]);

    const subscribed = newId('org');
    await billing.setPlan(subscribed, { kind: 'subscription', included_tokens: 2_000 });
    const inside = await billing.reserve(admission(subscribed));
    await billing.settle(inside, usage()); // 1,500 tokens, all included
    const across = await billing.reserve(admission(subscribed));
    await billing.settle(across, usage()); // 500 of 1,500 included: 450 × 2/3 = 300
    expect([(await ledger(inside.requestId))[0]?.cost, (await ledger(across.requestId))[0]?.cost]).toEqual([0, 300]);

    const free = newId('org');
    await billing.setPlan(free, { kind: 'free_tier', daily_request_cap: 2 });
    const one = await billing.reserve(admission(free));
    await billing.reserve(admission(free));
    await expect(billing.reserve(admission(free))).rejects.toMatchObject({ status: 429, code: 'daily_request_cap_reached' });
    await billing.settle(one, usage());
    expect((await ledger(one.requestId))[0]?.cost).toBe(0);
    await expect(billing.setPlan(free, { kind: 'free_tier', daily_request_cap: -1 })).rejects.toThrow();
  });

  it('charges in the account currency, and refuses when a needed exchange rate is missing', async () => {
    const yuan = newId('org');
    await addAccount(database, yuan, 'postpaid', 0, 1_000_000_000, 'CNY');
    const reservation = await billing.reserve(admission(yuan));
    expect(reservation).toMatchObject({ currency: 'CNY', amount: 5_325 }); // 750 × 7.1
    await billing.settle(reservation, usage());
    expect((await ledger(reservation.requestId))[0]).toMatchObject({ cost: 3_195, currency: 'CNY' });
    const strict = await BillingService.open({ database, catalog, config: billingConfig(), serverId: 'server-strict', clock: fixedClock });
    await expect(strict.reserve(admission(yuan))).rejects.toMatchObject({ status: 402, code: 'currency_without_exchange_rate', message: expect.stringContaining('CNY') });
    await strict.close();
  });

  it('posts one soft-limit notice per budget and period, across servers', async () => {
    const organisation = newId('org');
    const budgetId = await addBudget(database, organisation, { softLimit: 1_000, period: 'day' });
    const other = await BillingService.open({ database, catalog, config: billingConfig({ softLimitWebhookUrl: `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/` }), serverId: 'server-b', clock: fixedClock });
    for (let round = 0; round < 3; round += 1) {
      const reservations = await Promise.all([billing.reserve(admission(organisation)), other.reserve(admission(organisation))]);
      await Promise.all([billing.settle(reservations[0], usage()), other.settle(reservations[1], usage())]);
    }
    await Promise.all([billing.flush(), other.flush()]);
    await other.close();
    const mine = notices.filter((notice) => (notice as { budget_id: string }).budget_id === budgetId);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ type: 'budget.soft_limit_reached', period_start: '2025-06-15', soft_limit: 1_000 });
  });

  it('recovers reservations a crashed server left: released and recorded as interrupted at no cost', async () => {
    const organisation = newId('org');
    const old = { organisation_id: organisation, project_id: 'p', key_id: 'k', model: 'chat-test', amount: 750, currency: 'USD', budget_ids: '[]', server_id: 'crashed' };
    await database.kysely.insertInto('reservations').values([
      { ...old, request_id: `${organisation}-old`, created_at: '2025-06-15T11:00:00.000Z' },
      { ...old, request_id: `${organisation}-recent`, created_at: '2025-06-15T11:59:00.000Z' },
    ]).execute();
    const restarted = await BillingService.open({ database, catalog, config: billingConfig(), serverId: 'server-c', clock: fixedClock });
    await restarted.close();
    expect((await ledger(`${organisation}-old`))[0]).toMatchObject({ status: 'interrupted', cost: 0, model: 'chat-test' });
    expect(await ledger(`${organisation}-recent`)).toEqual([]);
    const left = await database.kysely.selectFrom('reservations').select('request_id').where('organisation_id', '=', organisation).execute();
    expect(left).toEqual([{ request_id: `${organisation}-recent` }]);
    expect(fixedNow).toBe('2025-06-15T12:00:00.000Z');
  });
});
