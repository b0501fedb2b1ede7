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
    const account = await services.credits.setAccount(organisationId, {
      mode: body.mode,
      ...(body.credit_limit === undefined ? {} : { creditLimit: body.credit_limit }),
      ...(body.currency === undefined ? {} : { currency: body.currency }),
    });
    changed(services, organisationId);
    return account;
  });

  app.post('/admin/v1/redemption-codes', async (request, reply) => {
    const body = parseBody(codesBodySchema, request.body);
    const batch = await services.redemptions.createCodes({ count: body.count, amount: body.amount, currency: body.currency, expiresAt: body.expires_at ?? null, createdBy: requirePrincipal(request).keyId });
    return reply.code(201).send(batch);
  });

  app.post('/admin/v1/budgets', async (request, reply) => {
    const budget = await services.budgets.create(parseBody(createBudgetInputSchema, request.body));
    changed(services, budget.organisation_id);
    return reply.code(201).send(budget);
  });

  app.get('/admin/v1/budgets', async (request) => {
    const query = parseBody(budgetQuerySchema, request.query);
    return { object: 'list', data: await services.budgets.list(query) };
  });

  app.get<OrganisationParams>('/admin/v1/budgets/:id', async (request) => services.budgets.get(request.params.id));

  app.patch<OrganisationParams>('/admin/v1/budgets/:id', async (request) => {
    const budget = await services.budgets.update(request.params.id, parseBody(updateBudgetInputSchema, request.body));
    changed(services, budget.organisation_id);
    return budget;
  });

  app.delete<OrganisationParams>('/admin/v1/budgets/:id', async (request) => {
    const budget = await services.budgets.delete(request.params.id);
    changed(services, budget.organisation_id);
    return { ...budget, deleted: true };
  });

  const { plans } = services;
  if (plans !== undefined) {
    app.get<OrganisationParams>('/admin/v1/organisations/:id/pricing-plan', async (request) => ({ object: 'pricing_plan', plan: await plans.getPlan(await organisationOf(request, services)) }));
    app.put<OrganisationParams>('/admin/v1/organisations/:id/pricing-plan', async (request) => {
      const organisationId = await organisationOf(request, services);
      const plan = await plans.setPlan(organisationId, parseBody(pricingPlanSchema, request.body));
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
