// Test fixtures for metering: a catalogue card with a known price, budgets and accounts written
// straight to the tables, admissions and usage events. Used by the billing tests only.
import { CatalogService, modelCardCreateSchema } from '../catalog/index.js';
import { newId, type Clock } from '../core/index.js';
import type { Database } from '../storage/index.js';
import { ensureAccount } from './billing-postings.js';
import type { Admission } from './billing-service.js';
import type { SettledUsage } from './billing-settlement.js';

export const fixedNow = '2025-06-15T12:00:00.000Z';
export const fixedClock: Clock = { now: () => new Date(fixedNow), monotonicMilliseconds: () => 0 };

/** 0.15 / 0.60 / cached 0.075 USD per million tokens, in micro-units: a request of 1,000 in and 1,000 out may cost 750. */
export async function seedPricedCatalog(database: Database): Promise<CatalogService> {
  const catalog = new CatalogService(database, fixedClock);
  const card = (id: string, provider: string, model: string, route: string, currency: 'USD' | 'CNY', input: number, output: number) =>
    modelCardCreateSchema.parse({
      id, name: id, vendor: 'Example Labs', release_date: '2024-01-02', description: 'A priced test model.',
      capability: { context_window: 8_000, input_modalities: ['text'], output_modalities: ['text'] }, openness: {}, license: { id: 'MIT' },
      deployments: [{ kind: 'public-cloud-api', provider, model, route }],
      prices: [{ effective_from: '2025-01-01', currency, input_per_million_tokens: input, output_per_million_tokens: output, cached_input_per_million_tokens: currency === 'USD' ? 75_000 : null }],
    });
  await catalog.create(card('test-mini', 'openai', 'gpt-test', 'chat-test', 'USD', 150_000, 600_000));
  await catalog.create(card('test-yuan', 'moonshot', 'kimi-test', 'chat-yuan', 'CNY', 1_000_000, 2_000_000));
  return catalog;
}

export function admission(organisationId: string, overrides: Partial<Admission> = {}): Admission {
  return {
    requestId: newId('req'),
    organisationId,
    projectId: `${organisationId}-project`,
    keyId: `${organisationId}-key`,
    userId: null,
    publicModel: 'chat-test',
    pricedModels: ['openai/gpt-test', 'chat-test'],
    promptTokens: 1_000,
    maxOutputTokens: 1_000,
    ...overrides,
  };
}

export function usage(overrides: Partial<SettledUsage> = {}): SettledUsage {
  return { providerId: 'openai', upstreamModel: 'gpt-test', promptTokens: 1_000, completionTokens: 500, cachedTokens: 0, reasoningTokens: 0, estimated: false, latencyMs: 12, status: 'ok', ...overrides };
}

export async function addBudget(database: Database, organisationId: string, budget: { scopeType?: 'organisation' | 'project' | 'key'; scopeId?: string; period?: 'day' | 'month'; hardLimit?: number | null; softLimit?: number | null; currency?: 'USD' | 'CNY' }): Promise<string> {
  const id = newId('bud');
  await database.kysely
    .insertInto('budgets')
    .values({
      id,
      organisation_id: organisationId,
      scope_type: budget.scopeType ?? 'organisation',
      scope_id: budget.scopeId ?? organisationId,
      period: budget.period ?? 'month',
      currency: budget.currency ?? 'USD',
      hard_limit: budget.hardLimit ?? null,
      soft_limit: budget.softLimit ?? null,
      created_at: fixedNow,
      updated_at: fixedNow,
    })
    .execute();
  return id;
}

export async function addAccount(database: Database, organisationId: string, mode: 'prepaid' | 'postpaid' | 'unlimited', balance: number, creditLimit = 0, currency: 'USD' | 'CNY' = 'USD'): Promise<string> {
  const account = await ensureAccount(database.kysely, { organisationId, kind: 'customer', currency, mode, createdAt: fixedNow });
  await database.kysely.updateTable('billing_accounts').set({ balance, credit_limit: creditLimit }).where('id', '=', account.id).execute();
  return account.id;
}
