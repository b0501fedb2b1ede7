import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { testDatabaseTargets, type TestDatabaseTarget } from '../../../test/support/test-databases.js';
import { ApiKeyService, localOperator, OrganisationService } from '../../accounts/index.js';
import { BillingService, createBillingAdministration, organisationExistsVia } from '../../billing/index.js';
import { CatalogService } from '../../catalog/index.js';
import { configSchema } from '../../config/index.js';
import { createLogger } from '../../core/index.js';
import { ResponsesService } from '../../responses/index.js';
import { createRouter, RouteAdministration } from '../../routing/index.js';
import type { Database } from '../../storage/index.js';
import { buildServer, type ModelmartServer } from '../server-app.js';

describe.each(testDatabaseTargets())('billing and usage admin API on $name', (target: TestDatabaseTarget) => {
  let opened: Awaited<ReturnType<TestDatabaseTarget['open']>>;
  let database: Database;
  let server: ModelmartServer;
  let billing: BillingService;
  let routeAdministration: RouteAdministration;
  let admin: string;
  let user: string;

  beforeAll(async () => {
    opened = await target.open();
    database = opened.database;
    const config = configSchema.parse({ storage: opened.options, billing: { exchangeRates: { CNY: 7 } } });
    const logger = createLogger('silent', new Writable({ write: (_chunk, _encoding, callback) => callback() }));
    const apiKeys = new ApiKeyService(database);
    await apiKeys.initialise();
    admin = (await apiKeys.createKey({ name: 'admin', role: 'admin' })).key;
    user = (await apiKeys.createKey({ name: 'user', role: 'user' })).key;
    const router = createRouter({
      config,
      getAdapter: (providerId) => {
        throw new Error(`no provider ${providerId} in this test`);
      },
      onUsage: () => undefined,
    });
    routeAdministration = new RouteAdministration({ database, fileRoutes: [], apply: (routes) => router.replaceStoredRoutes(routes), pollMilliseconds: 1_000 });
    await routeAdministration.start();
    const catalog = new CatalogService(database);
    billing = await BillingService.open({ database, catalog, config: config.billing, serverId: 'routes-test', logger });
    const billingAdministration = createBillingAdministration({ database, config: config.billing, hashCode: (code) => apiKeys.hashWithInstallationSecret(code), plans: billing, organisationExists: organisationExistsVia((id) => new OrganisationService(database, apiKeys).getOrganisation(id, localOperator)) });
    server = buildServer({ config, database, apiKeys, router, routeAdministration, responses: new ResponsesService(database), logger, billingAdministration });
    await server.app.ready();
  }, 60_000);

  afterAll(async () => {
    routeAdministration.stop();
    await server.app.close();
    await billing.close();
    await opened.dispose();
  });

  const call = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown, key = admin, headers: Record<string, string> = {}) =>
    server.app.inject({ method, url, headers: { authorization: `Bearer ${key}`, ...headers }, ...(body === undefined ? {} : { payload: body as Record<string, unknown> }) });

  it('tops up, refuses bad amounts naming amount, and shows balance and history', async () => {
    const credited = await call('POST', '/admin/v1/organisations/org_default/credits', { amount: 2_000_000, currency: 'USD', memo: 'welcome' });
    expect(credited.statusCode).toBe(201);
    expect(credited.json()).toMatchObject({ credited_amount: 2_000_000, balance: 2_000_000 });
    for (const amount of [-5, 0, 1.25]) {
      const refused = await call('POST', '/admin/v1/organisations/org_default/credits', { amount, currency: 'USD' });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().error.param).toBe('amount');
    }
    expect((await call('POST', '/admin/v1/organisations/org_default/credits', { amount: 5, currency: 'EUR' })).json().error.param).toBe('currency');
    expect((await call('GET', '/admin/v1/organisations/org_default/balance')).json()).toMatchObject({ balance: 2_000_000, currency: 'USD', mode: 'unlimited' });
    const history = (await call('GET', '/admin/v1/organisations/org_default/transactions?limit=10')).json();
    expect(history.data).toHaveLength(1);
    expect(history.data[0]).toMatchObject({ kind: 'top_up', amount: 2_000_000, memo: 'welcome' });
    const account = await call('PUT', '/admin/v1/organisations/org_default/account', { mode: 'postpaid', credit_limit: 1_000_000 });
    expect(account.json()).toMatchObject({ mode: 'postpaid', available: 3_000_000 });
    const badLimit = await call('PUT', '/admin/v1/organisations/org_default/account', { mode: 'postpaid', credit_limit: -1 });
    expect(badLimit.json().error.param).toBe('credit_limit');
    expect((await call('GET', '/admin/v1/organisations/org_default/balance', undefined, user)).statusCode).toBe(403);
    const unknown = await call('POST', '/admin/v1/organisations/org_nobody/credits', { amount: 5, currency: 'USD' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('organisation_not_found');
  });

  it('creates codes that a tenant key redeems once for its own organisation', async () => {
    const batch = await call('POST', '/admin/v1/redemption-codes', { count: 2, amount: 500_000, currency: 'USD' });
    expect(batch.statusCode).toBe(201);
    const [code] = batch.json().codes as string[];
    const redeemed = await call('POST', '/v1/credits/redeem', { code }, user);
    expect(redeemed.statusCode).toBe(200);
    expect(redeemed.json()).toMatchObject({ organisation_id: 'org_default', credited_amount: 500_000 });
    const again = await call('POST', '/v1/credits/redeem', { code }, user);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('code_already_redeemed');
    expect((await call('POST', '/v1/credits/redeem', { code: 'MMR-0000-0000-0000-0000' }, user)).statusCode).toBe(404);
    expect((await call('POST', '/admin/v1/redemption-codes', { count: 1, amount: 5, currency: 'USD', expires_at: 'soon' })).json().error.param).toBe('expires_at');
    // The batch is audited by what it is worth; the codes themselves never reach the log.
    const audit = await call('GET', `/admin/v1/audit-log?target_id=${batch.json().batch_id as string}`);
    expect(audit.json().data).toEqual([expect.objectContaining({ action: 'redemption_codes.create', after: { count: 2, amount: 500_000, currency: 'USD', expires_at: null } })]);
    expect(audit.body).not.toContain(code);
  });

  it('manages budgets, zero included', async () => {
    const created = await call('POST', '/admin/v1/budgets', { scope_type: 'project', scope_id: 'proj_default', organisation_id: 'org_default', period: 'month', currency: 'USD', hard_limit: 0 });
    expect(created.statusCode).toBe(201);
    const budget = created.json();
    expect(budget).toMatchObject({ hard_limit: 0, soft_limit: null, organisation_id: 'org_default' });
    expect((await call('POST', '/admin/v1/budgets', { scope_type: 'project', scope_id: 'proj_default', organisation_id: 'org_default', period: 'month', currency: 'USD' })).statusCode).toBe(409);
    expect((await call('POST', '/admin/v1/budgets', { scope_type: 'team', scope_id: 'x', period: 'month', currency: 'USD' })).json().error.param).toBe('scope_type');
    expect((await call('PATCH', `/admin/v1/budgets/${budget.id}`, { soft_limit: 10 })).json()).toMatchObject({ hard_limit: 0, soft_limit: 10 });
    expect((await call('GET', '/admin/v1/budgets?organisation_id=org_default')).json().data).toHaveLength(1);
    expect((await call('DELETE', `/admin/v1/budgets/${budget.id}`)).json()).toMatchObject({ deleted: true });
    expect((await call('GET', `/admin/v1/budgets/${budget.id}`)).statusCode).toBe(404);
    const audit = (await call('GET', `/admin/v1/audit-log?target_id=${budget.id}`)).json().data as { action: string; before: unknown; after: unknown }[];
    expect(audit.map((entry) => entry.action)).toEqual(['budget.delete', 'budget.update', 'budget.create']);
    expect(audit[1]).toMatchObject({ before: { soft_limit: null }, after: { soft_limit: 10 } });
  });

  it('sets and reads a pricing plan', async () => {
    const set = await call('PUT', '/admin/v1/organisations/org_default/pricing-plan', { kind: 'pay_as_you_go', adjustment_basis_points: 1_000 });
    expect(set.statusCode).toBe(200);
    expect((await call('GET', '/admin/v1/organisations/org_default/pricing-plan')).json().plan).toMatchObject({ kind: 'pay_as_you_go', adjustment_basis_points: 1_000 });
  });

  it('reports usage as JSON or CSV, and refuses from after to', async () => {
    const refused = await call('GET', '/admin/v1/usage?from=2026-11-05&to=2026-11-01');
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.param).toBe('from');
    expect((await call('GET', '/admin/v1/usage?from=2026-11-01&to=2026-11-05&group_by=model,colour')).json().error.param).toBe('group_by');
    const json = await call('GET', '/admin/v1/usage?from=2026-11-01&to=2026-11-05&group_by=model,day');
    expect(json.json()).toMatchObject({ object: 'usage_report', group_by: ['model', 'day'], data: [] });
    const csv = await call('GET', '/admin/v1/usage?from=2026-11-01&to=2026-11-05&group_by=model', undefined, admin, { accept: 'text/csv' });
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.body).toBe('model,currency,requests,prompt_tokens,completion_tokens,cached_tokens,reasoning_tokens,cost\r\n');
    const month = new Date().toISOString().slice(0, 7);
    const statement = await call('GET', `/admin/v1/organisations/org_default/statements/${month}?format=csv`);
    expect(statement.statusCode).toBe(200);
    expect(statement.body).toContain('closing_balance,,,,,,2500000,USD');
    expect((await call('GET', '/admin/v1/organisations/org_default/statements/2026-13')).json().error.param).toBe('month');
  });
});
