// Test fixtures for the GPT store: two organisations with owners, members and user-less keys,
// GPT rows and usage ledger rows written straight to the tables, a fixed clock. Store tests only.
import { ApiKeyService, OrganisationService, localOperator, type Principal } from '../../accounts/index.js';
import { configSchema } from '../../config/index.js';
import { newSequentialId, type Clock } from '../../core/index.js';
import type { Database } from '../../storage/index.js';
import { SafeHttpClient } from '../actions/index.js';
import type { GptVisibility } from '../gpt-contracts.js';
import { GptStore, type GptStoreOptions } from './gpt-store.js';

export const fixedNow = '2026-06-15T12:00:00.000Z';
export const fixedClock: Clock = { now: () => new Date(fixedNow), monotonicMilliseconds: () => 0 };

/** An ISO time this many days (fractions allowed) before the fixed now. */
export function daysAgo(days: number): string {
  return new Date(Date.parse(fixedNow) - days * 86_400_000).toISOString();
}

export interface Caller {
  readonly key: string;
  readonly principal: Principal;
}

export interface StoreTenant {
  readonly id: string;
  readonly owner: Caller;
  readonly member: Caller;
  /** A key without a user: rates and reports as `key:<id>`. */
  readonly service: Caller;
}

export interface StoreWorld {
  readonly database: Database;
  readonly apiKeys: ApiKeyService;
  readonly store: GptStore;
  readonly admin: Caller;
  readonly acme: StoreTenant;
  readonly globex: StoreTenant;
}

export function defaultOutbound() {
  return configSchema.parse({}).gpts.outbound;
}

async function caller(apiKeys: ApiKeyService, input: Parameters<ApiKeyService['createKey']>[0]): Promise<Caller> {
  const created = await apiKeys.createKey(input);
  return { key: created.key, principal: await apiKeys.authenticate(created.key) };
}

async function tenant(apiKeys: ApiKeyService, organisations: OrganisationService, name: string): Promise<StoreTenant> {
  const organisation = await organisations.createOrganisation({ name }, localOperator);
  const lower = name.toLowerCase();
  const owner = await organisations.addMember(organisation.id, { email: `owner@${lower}.test`, name: `${name} Owner`, role: 'owner' }, localOperator);
  const member = await organisations.addMember(organisation.id, { email: `member@${lower}.test`, name: `${name} Member`, role: 'member' }, localOperator);
  return {
    id: organisation.id,
    owner: await caller(apiKeys, { name: `${lower} owner`, organisation_id: organisation.id, user_id: owner.id }),
    member: await caller(apiKeys, { name: `${lower} member`, organisation_id: organisation.id, user_id: member.id }),
    service: await caller(apiKeys, { name: `${lower} service`, organisation_id: organisation.id }),
  };
}

export async function createStoreWorld(database: Database, options: Partial<GptStoreOptions> = {}): Promise<StoreWorld> {
  const apiKeys = new ApiKeyService(database);
  await apiKeys.initialise();
  const organisations = new OrganisationService(database, apiKeys);
  const store = new GptStore({ database, httpClient: new SafeHttpClient(defaultOutbound()), clock: fixedClock, ...options });
  return {
    database,
    apiKeys,
    store,
    admin: await caller(apiKeys, { name: 'store admin', role: 'admin' }),
    acme: await tenant(apiKeys, organisations, 'Acme'),
    globex: await tenant(apiKeys, organisations, 'Globex'),
  };
}

export interface GptFixture {
  readonly slug: string;
  readonly creator: Principal;
  readonly visibility?: GptVisibility;
  readonly name?: string;
  readonly description?: string;
  readonly category?: string | null;
  /** Default true: published as version 1. */
  readonly published?: boolean;
  readonly publishedAt?: string;
  readonly featuredAt?: string | null;
  readonly revenueShareBasisPoints?: number;
}

export async function insertGpt(database: Database, fixture: GptFixture): Promise<string> {
  const id = newSequentialId('gpt');
  const published = fixture.published ?? true;
  const publishedAt = fixture.publishedAt ?? daysAgo(30);
  await database.kysely
    .insertInto('gpts')
    .values({
      id,
      slug: fixture.slug,
      organisation_id: fixture.creator.organisationId,
      project_id: fixture.creator.projectId,
      creator_key_id: fixture.creator.keyId,
      creator_user_id: fixture.creator.userId,
      name: fixture.name ?? fixture.slug,
      description: fixture.description ?? `The ${fixture.slug} assistant.`,
      avatar_url: null,
      category: fixture.category === undefined ? 'productivity' : fixture.category,
      base_model: 'vendor/model-a',
      instructions: 'Be helpful.',
      conversation_starters: JSON.stringify(['Hello']),
      capabilities: JSON.stringify({ knowledge: false, actions: false }),
      visibility: fixture.visibility ?? 'public',
      revenue_share_basis_points: fixture.revenueShareBasisPoints ?? 7_000,
      latest_version: published ? 1 : null,
      published_at: published ? publishedAt : null,
      hidden_at: null,
      hidden_reason: null,
      featured_at: fixture.featuredAt ?? null,
      created_at: publishedAt,
      updated_at: publishedAt,
      deleted_at: null,
    })
    .execute();
  return id;
}

export interface UsageFixture {
  readonly gptId: string;
  readonly caller: Principal;
  readonly createdAt?: string;
  /** Micro-units of USD. */
  readonly cost?: number;
  readonly promptTokens?: number;
  readonly completionTokens?: number;
  readonly transactionId?: string | null;
  /** Default: the first model step of a new call (`req_….s1`), as the GPT runner names it. */
  readonly requestId?: string;
  readonly status?: 'ok' | 'error';
}

/** One model step of a GPT call in the usage ledger; returns its request id. */
export async function insertUsage(database: Database, fixture: UsageFixture): Promise<string> {
  const requestId = fixture.requestId ?? `${newSequentialId('req')}.s1`;
  const createdAt = fixture.createdAt ?? daysAgo(1);
  await database.kysely
    .insertInto('usage_ledger')
    .values({
      request_id: requestId,
      organisation_id: fixture.caller.organisationId,
      project_id: fixture.caller.projectId,
      key_id: fixture.caller.keyId,
      user_id: fixture.caller.userId,
      model: 'gpt:fixture',
      provider: 'vendor',
      upstream_model: 'model-a',
      gpt_id: fixture.gptId,
      prompt_tokens: fixture.promptTokens ?? 100,
      completion_tokens: fixture.completionTokens ?? 50,
      cached_tokens: 0,
      reasoning_tokens: 0,
      estimated: 0,
      price_model_id: null,
      price_effective_from: null,
      cost: fixture.cost ?? 1_000,
      currency: 'USD',
      latency_ms: 10,
      time_to_first_token_ms: null,
      status: fixture.status ?? 'ok',
      error_code: fixture.status === 'error' ? 'upstream_error' : null,
      transaction_id: fixture.transactionId ?? null,
      created_at: createdAt,
      day: createdAt.slice(0, 10),
    })
    .execute();
  return requestId;
}

/** Calls a GPT `times` times, `daysBefore` days before now. */
export async function insertCalls(database: Database, gptId: string, caller: Principal, times: number, daysBefore = 1): Promise<void> {
  for (let index = 0; index < times; index += 1) await insertUsage(database, { gptId, caller, createdAt: daysAgo(daysBefore) });
}
