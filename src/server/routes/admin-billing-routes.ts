// Money in the admin API: top-ups, balance, history and account settings per organisation,
// redemption code batches, budgets and pricing plans; and POST /v1/credits/redeem, where a key
// redeems a code for its own organisation. Thin: parse with zod, call the billing services.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { parseBody } from '../../api/index.js';
import { accountModeSchema, createBudgetInputSchema, pricingPlanSchema, updateBudgetInputSchema, type BillingAdministration } from '../../billing/index.js';
import { currencySchema } from '../../config/index.js';
import { notFound } from '../../core/index.js';
import { requirePrincipal } from '../middleware/authentication.js';
import { recordAdminChange } from './admin-audit-recording.js';

const topUpBodySchema = z.strictObject({ amount: z.number(), currency: currencySchema, memo: z.string().max(500).optional() });
const accountBodySchema = z.strictObject({ mode: accountModeSchema, credit_limit: z.number().int({ error: 'expected whole micro-units' }).nonnegative().max(Number.MAX_SAFE_INTEGER).optional(), currency: currencySchema.optional() });
const transactionsQuerySchema = z.strictObject({ limit: z.coerce.number().int().min(1).max(200).optional(), after: z.string().min(1).optional() });
const codesBodySchema = z.strictObject({ count: z.number().int().min(1).max(1000), amount: z.number(), currency: currencySchema, expires_at: z.iso.datetime({ offset: true, error: 'expected an ISO-8601 date and time, e.g. 2027-01-01T00:00:00Z' }).nullable().optional() });
const redeemBodySchema = z.strictObject({ code: z.string().min(1).max(100) });
const budgetQuerySchema = z.strictObject({ organisation_id: z.string().optional(), scope_type: z.enum(['organisation', 'project', 'key']).optional(), scope_id: z.string().optional() });

type OrganisationParams = { Params: { id: string } };

async function organisationOf(request: FastifyRequest<OrganisationParams>, services: BillingAdministration): Promise<string> {
  const id = request.params.id;
  if (services.organisationExists !== undefined && !(await services.organisationExists(id))) {
    throw notFound(`No organisation with id ${JSON.stringify(id)}.`, 'organisation_not_found', 'id');
  }
  return id;
}

/** Drops what metering caches about an organisation so account and budget changes apply at once. */
function changed(services: BillingAdministration, organisationId: string): void {
  services.plans?.organisationChanged(organisationId);
}

export function registerAdminBillingRoutes(app: FastifyInstance, services: BillingAdministration): void {
  app.post<OrganisationParams>('/admin/v1/organisations/:id/credits', async (request, reply) => {
    const organisationId = await organisationOf(request, services);
    const body = parseBody(topUpBodySchema, request.body);
    const credited = await services.credits.topUp({ organisationId, amount: body.amount, currency: body.currency, memo: body.memo ?? null, createdBy: requirePrincipal(request).keyId });
    changed(services, organisationId);
    await recordAdminChange(request, { action: 'credit.top_up', targetType: 'organisation', targetId: organisationId, after: { amount: body.amount, currency: body.currency, memo: body.memo ?? null, transaction_id: credited.transaction_id }, organisationId });
    return reply.code(201).send(credited);
  });

  app.get<OrganisationParams>('/admin/v1/organisations/:id/balance', async (request) => services.credits.balance(await organisationOf(request, services)));

  app.get<OrganisationParams>('/admin/v1/organisations/:id/transactions', async (request) => {
    const organisationId = await organisationOf(request, services);
    const query = parseBody(transactionsQuerySchema, request.query);
    return services.credits.transactions(organisationId, { ...(query.limit === undefined ? {} : { limit: query.limit }), ...(query.after === undefined ? {} : { after: query.after }) });
  });

  app.put<OrganisationParams>('/admin/v1/organisations/:id/account', async (request) => {
    const organisationId = await organisationOf(request, services);
    const body = parseBody(accountBodySchema, request.body);
    const before = await services.credits.balance(organisationId);
    const account = await services.credits.setAccount(organisationId, {
      mode: body.mode,
      ...(body.credit_limit === undefined ? {} : { creditLimit: body.credit_limit }),
      ...(body.currency === undefined ? {} : { currency: body.currency }),
    });
    changed(services, organisationId);
    await recordAdminChange(request, { action: 'account.update', targetType: 'organisation', targetId: organisationId, before, after: account, organisationId });
    return account;
  });

  app.post('/admin/v1/redemption-codes', async (request, reply) => {
    const body = parseBody(codesBodySchema, request.body);
    const batch = await services.redemptions.createCodes({ count: body.count, amount: body.amount, currency: body.currency, expiresAt: body.expires_at ?? null, createdBy: requirePrincipal(request).keyId });
    // The codes themselves are secrets: the log keeps what the batch is worth, never the codes.
    await recordAdminChange(request, { action: 'redemption_codes.create', targetType: 'redemption_code_batch', targetId: batch.batch_id, after: { count: body.count, amount: batch.amount, currency: batch.currency, expires_at: batch.expires_at }, organisationId: null });
    return reply.code(201).send(batch);
  });

  app.post('/admin/v1/budgets', async (request, reply) => {
    const budget = await services.budgets.create(parseBody(createBudgetInputSchema, request.body));
    changed(services, budget.organisation_id);
    await recordAdminChange(request, { action: 'budget.create', targetType: 'budget', targetId: budget.id, after: budget, organisationId: budget.organisation_id });
    return reply.code(201).send(budget);
  });

  app.get('/admin/v1/budgets', async (request) => {
    const query = parseBody(budgetQuerySchema, request.query);
    return { object: 'list', data: await services.budgets.list(query) };
  });

  app.get<OrganisationParams>('/admin/v1/budgets/:id', async (request) => services.budgets.get(request.params.id));

  app.patch<OrganisationParams>('/admin/v1/budgets/:id', async (request) => {
    const changes = parseBody(updateBudgetInputSchema, request.body);
    const before = await services.budgets.get(request.params.id);
    const budget = await services.budgets.update(request.params.id, changes);
    changed(services, budget.organisation_id);
    await recordAdminChange(request, { action: 'budget.update', targetType: 'budget', targetId: budget.id, before, after: budget, organisationId: budget.organisation_id });
    return budget;
  });

  app.delete<OrganisationParams>('/admin/v1/budgets/:id', async (request) => {
    const budget = await services.budgets.delete(request.params.id);
    changed(services, budget.organisation_id);
    await recordAdminChange(request, { action: 'budget.delete', targetType: 'budget', targetId: budget.id, before: budget, organisationId: budget.organisation_id });
    return { ...budget, deleted: true };
  });

  const { plans } = services;
  if (plans !== undefined) {
    app.get<OrganisationParams>('/admin/v1/organisations/:id/pricing-plan', async (request) => ({ object: 'pricing_plan', plan: await plans.getPlan(await organisationOf(request, services)) }));
    app.put<OrganisationParams>('/admin/v1/organisations/:id/pricing-plan', async (request) => {
      const organisationId = await organisationOf(request, services);
      const body = parseBody(pricingPlanSchema, request.body);
      const before = await plans.getPlan(organisationId);
      const plan = await plans.setPlan(organisationId, body);
      await recordAdminChange(request, { action: 'pricing_plan.update', targetType: 'organisation', targetId: organisationId, before, after: plan, organisationId });
      return { object: 'pricing_plan', plan };
    });
  }
}

/** POST /v1/credits/redeem: a key of whatever role redeems a code for the organisation it belongs to. */
export function registerCreditRedeemRoute(app: FastifyInstance, services: BillingAdministration): void {
  app.post('/v1/credits/redeem', async (request) => {
    const principal = requirePrincipal(request);
    const body = parseBody(redeemBodySchema, request.body);
    const credited = await services.redemptions.redeem({ organisationId: principal.organisationId, code: body.code, redeemedBy: principal.keyId });
    changed(services, principal.organisationId);
    return credited;
  });
}
