import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseTargets } from '../../../test/support/test-databases.js';
import type { Principal } from '../../accounts/index.js';
import { configSchema } from '../../config/index.js';
import { ModelmartError } from '../../core/index.js';
import type { Database } from '../../storage/index.js';
import { GptService } from './gpt-service.js';

function principal(keyId: string, organisationId: string, overrides: Partial<Principal> = {}): Principal {
  return {
    keyId,
    keyName: keyId,
    role: 'user',
    organisationId,
    projectId: `proj_${organisationId}`,
    userId: null,
    organisationRole: 'member',
    scopes: { allowedModels: null, deniedModels: [], allowedGpts: null, ipAllowList: null, expiresAt: null },
    limits: { key: {}, project: {}, organisation: {} },
    ...overrides,
  };
}

async function failure(promise: Promise<unknown>): Promise<ModelmartError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof ModelmartError)) throw new Error(`expected a ModelmartError, got ${String(error)}`);
  return error;
}

describe.each(testDatabaseTargets())('GPT definitions on $name', { timeout: 60_000 }, (target) => {
  let database: Database;
  let dispose: () => Promise<void>;
  const config = configSchema.parse({}).gpts;
  const knownModels = new Set(['openai/gpt-4o-mini', 'local/qwen2.5-0.5b', 'chat-default']);
  const snapshots: string[] = [];
  let service: GptService;

  const creator = principal('key_creator', 'org_acme', { userId: 'user_creator' });
  const sameUserOtherKey = principal('key_creator_laptop', 'org_acme', { userId: 'user_creator' });
  const colleague = principal('key_colleague', 'org_acme', { userId: 'user_colleague' });
  const organisationAdmin = principal('key_acme_admin', 'org_acme', { organisationRole: 'admin' });
  const stranger = principal('key_stranger', 'org_other');
  const installationAdmin = principal('key_root', 'org_default', { role: 'admin', organisationRole: 'owner' });

  beforeAll(async () => {
    const opened = await target.open();
    database = opened.database;
    dispose = opened.dispose;
    service = new GptService({
      database,
      config,
      modelExists: (name) => knownModels.has(name),
      toolbox: {
        snapshot: async (gptId) => {
          snapshots.push(gptId);
          return { tools: [`snapshot-${snapshots.length}`] };
        },
      },
    });
  }, 60_000);
  afterAll(async () => dispose());

  it('creates a draft with defaults, a slug made from the name, and refuses a taken slug with 409 slug_taken', async () => {
    const created = await service.create({ name: 'Travel Helper', base_model: 'openai/gpt-4o-mini', instructions: 'Plan trips.' }, creator);
    expect(created).toMatchObject({
      object: 'gpt',
      slug: 'travel-helper',
      organisation_id: 'org_acme',
      project_id: 'proj_org_acme',
      creator_key_id: 'key_creator',
      creator_user_id: 'user_creator',
      description: '',
      visibility: 'private',
      capabilities: { knowledge: true, actions: true },
      conversation_starters: [],
      revenue_share_basis_points: 7_000,
      latest_version: null,
    });
    expect(created.id).toMatch(/^gpt_/);
    // The same name again gets the next free slug; the same slug given outright is a conflict.
    expect((await service.create({ name: 'Travel helper!', base_model: 'chat-default' }, colleague)).slug).toBe('travel-helper-2');
    const taken = await failure(service.create({ name: 'Other', slug: 'travel-helper', base_model: 'chat-default' }, stranger));
    expect(taken).toMatchObject({ status: 409, code: 'slug_taken' });
    expect(taken.message).toContain('travel-helper');
    expect((await service.create({ name: '旅行助手', base_model: 'chat-default' }, creator)).slug).toBe('gpt');
    // Fixed store paths are never slugs: given outright a 400 naming the field, made from a name the next free one.
    expect(await failure(service.create({ name: 'Categories', slug: 'categories', base_model: 'chat-default' }, creator))).toMatchObject({ status: 400, param: 'slug' });
    expect((await service.create({ name: 'Import', base_model: 'chat-default' }, creator)).slug).toBe('import-2');
  });

  it('checks the body: unknown base model, bad slug, too many starters, unknown category, a revenue share above the default', async () => {
    expect(await failure(service.create({ name: 'X model', base_model: 'nobody/none' }, creator))).toMatchObject({ status: 400, param: 'base_model', code: 'model_not_found' });
    expect(await failure(service.create({ name: 'Nested', base_model: 'gpt:travel-helper' }, creator))).toMatchObject({ status: 400, param: 'base_model' });
    expect(await failure(service.create({ name: 'Bad', slug: 'Bad_Slug', base_model: 'chat-default' }, creator))).toMatchObject({ status: 400, param: 'slug' });
    const starters = Array.from({ length: 11 }, (_, index) => `question ${index}`);
    expect(await failure(service.create({ name: 'Chatty', base_model: 'chat-default', conversation_starters: starters }, creator))).toMatchObject({ status: 400, param: 'conversation_starters' });
    expect(await failure(service.create({ name: 'Cat', base_model: 'chat-default', category: 'gardening' as 'other' }, creator))).toMatchObject({ status: 400, param: 'category' });
    expect(await failure(service.create({ name: 'Long', base_model: 'chat-default', instructions: 'x'.repeat(32_001) }, creator))).toMatchObject({ status: 400, param: 'instructions' });
    expect(await failure(service.create({ name: 'Greedy', base_model: 'chat-default', revenue_share_basis_points: 9_000 }, creator))).toMatchObject({ status: 403, code: 'permission_denied' });
    expect((await service.create({ name: 'Generous', base_model: 'chat-default', revenue_share_basis_points: 9_000 }, installationAdmin)).revenue_share_basis_points).toBe(9_000);
  });

  it('publishes immutable versions: editing the draft later leaves version 1 as it was, and @1 stays pinned', async () => {
    await service.create({ name: 'Versioned', base_model: 'openai/gpt-4o-mini', instructions: 'first', visibility: 'organisation', conversation_starters: ['Hi?'] }, creator);
    const first = await service.publish('versioned', creator);
    expect(first).toMatchObject({ object: 'gpt.version', version: 1, instructions: 'first', base_model: 'openai/gpt-4o-mini', published_by_key_id: 'key_creator' });
    await service.update('versioned', { instructions: 'second', base_model: 'local/qwen2.5-0.5b', capabilities: { actions: false } }, sameUserOtherKey);
    const draft = await service.get('versioned', creator);
    expect(draft).toMatchObject({ instructions: 'second', capabilities: { knowledge: true, actions: false }, latest_version: 1 });

    const stillFirst = await service.getVersion('versioned', 1, creator);
    expect(stillFirst).toMatchObject({ instructions: 'first', base_model: 'openai/gpt-4o-mini', capabilities: { knowledge: true, actions: true } });
    expect((await service.resolvePublished('versioned', colleague)).instructions).toBe('first');

    const second = await service.publish('versioned', organisationAdmin);
    expect(second.version).toBe(2);
    const latest = await service.resolvePublished('versioned', colleague);
    expect(latest).toMatchObject({ version: 2, instructions: 'second', baseModel: 'local/qwen2.5-0.5b', ownerOrganisationId: 'org_acme', creatorKeyId: 'key_creator', revenueShareBasisPoints: 7_000 });
    expect(latest.actionsSnapshot).toEqual({ tools: [`snapshot-${snapshots.length}`] });
    const pinned = await service.resolvePublished('versioned@1', colleague);
    expect(pinned).toMatchObject({ version: 1, instructions: 'first', actionsSnapshot: { tools: [`snapshot-${snapshots.length - 1}`] } });
    expect((await service.resolvePublished('gpt:versioned@2', colleague)).version).toBe(2);
    expect(await failure(service.resolvePublished('versioned@3', colleague))).toMatchObject({ status: 404, code: 'gpt_not_found' });
    expect(await failure(service.resolvePublished('Versioned@x', colleague))).toMatchObject({ status: 400, code: 'invalid_gpt_reference', param: 'model' });
    expect((await service.listVersions('versioned', colleague)).map((version) => version.version)).toEqual([2, 1]);
    // The published slug is fixed; a colleague who is not an editor gets 403, another tenant 404.
    expect(await failure(service.update('versioned', { slug: 'renamed' }, creator))).toMatchObject({ status: 409, code: 'slug_locked' });
    expect(await failure(service.update('versioned', { name: 'Mine now' }, colleague))).toMatchObject({ status: 403, code: 'permission_denied' });
    expect(await failure(service.publish('versioned', stranger))).toMatchObject({ status: 404, code: 'gpt_not_found' });
    expect(await failure(service.getVersion('versioned', 1, stranger))).toMatchObject({ status: 404, code: 'gpt_not_found' });
  });

  it('gives two publishings at the same moment different numbers, or one a 409 publish_conflict', async () => {
    await service.create({ name: 'Raced', base_model: 'chat-default' }, creator);
    const outcomes = await Promise.allSettled([service.publish('raced', creator), service.publish('raced', organisationAdmin), service.publish('raced', installationAdmin)]);
    const versions = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value.version] : []));
    expect(versions.length).toBeGreaterThan(0);
    expect(new Set(versions).size).toBe(versions.length);
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') expect(outcome.reason).toMatchObject({ status: 409, code: 'publish_conflict' });
    }
    const listed = (await service.listVersions('raced', creator)).map((version) => version.version);
    expect(listed).toEqual([...versions].sort((left, right) => right - left));
    expect((await service.get('raced', creator)).latest_version).toBe(Math.max(...versions));
  });

  it('applies visibility across two organisations, and hidden or deleted GPTs stop resolving', async () => {
    await service.create({ name: 'Secret', base_model: 'chat-default', visibility: 'private' }, creator);
    await service.publish('secret', creator);
    expect((await service.resolvePublished('secret', sameUserOtherKey)).slug).toBe('secret');
    expect((await service.resolvePublished('secret', installationAdmin)).slug).toBe('secret');
    expect(await failure(service.resolvePublished('secret', colleague))).toMatchObject({ status: 404, code: 'gpt_not_found' });
    expect(await failure(service.resolvePublished('secret', stranger))).toMatchObject({ status: 404, code: 'gpt_not_found' });
    expect(await failure(service.getPage('secret', stranger))).toMatchObject({ status: 404 });
    expect(await failure(service.update('secret', { name: 'x' }, stranger))).toMatchObject({ status: 404, code: 'gpt_not_found' });

    await service.update('secret', { visibility: 'organisation' }, creator);
    expect((await service.resolvePublished('secret', colleague)).visibility).toBe('organisation');
    expect(await failure(service.resolvePublished('secret', stranger))).toMatchObject({ status: 404 });
    await service.update('secret', { visibility: 'link' }, creator);
    expect((await service.resolvePublished('secret', stranger)).visibility).toBe('link');
    const page = await service.getPage('secret', stranger);
    expect(page).toMatchObject({ editable: false, latest_version: 1, published: { name: 'Secret' } });
    expect(page.draft).toBeUndefined();
    expect(page.published?.instructions).toBeUndefined();
    // Visible but not theirs: another tenant may now know it exists, so the refusal is 403.
    expect(await failure(service.delete('secret', stranger))).toMatchObject({ status: 403, code: 'permission_denied' });

    // An unpublished draft is invisible to all but its editors.
    await service.create({ name: 'Draft only', base_model: 'chat-default', visibility: 'public' }, creator);
    expect(await failure(service.getPage('draft-only', stranger))).toMatchObject({ status: 404 });
    expect(await failure(service.resolvePublished('draft-only', creator))).toMatchObject({ status: 404 });
    expect((await service.getPage('draft-only', organisationAdmin)).draft?.slug).toBe('draft-only');

    const hidden = await service.create({ name: 'Hidden one', base_model: 'chat-default', visibility: 'public' }, creator);
    await service.publish(hidden.id, creator);
    expect((await service.resolvePublished('hidden-one', stranger)).version).toBe(1);
    await database.kysely.updateTable('gpts').set({ hidden_at: new Date().toISOString(), hidden_reason: 'spam' }).where('id', '=', hidden.id).execute();
    expect(await failure(service.resolvePublished('hidden-one', stranger))).toMatchObject({ status: 404 });

    await service.delete('secret', organisationAdmin);
    expect(await failure(service.resolvePublished('secret@1', creator))).toMatchObject({ status: 404 });
    expect(await failure(service.get('secret', creator))).toMatchObject({ status: 404 });
    // A deleted GPT's slug stays taken, so nobody can take over a name callers use.
    expect(await failure(service.create({ name: 'Impostor', slug: 'secret', base_model: 'chat-default' }, stranger))).toMatchObject({ status: 409, code: 'slug_taken' });
  });

  it('lists what an actor may edit and refuses a new GPT past the organisation limit', async () => {
    const mine = await service.listEditable(creator);
    expect(mine.map((gpt) => gpt.slug)).toContain('travel-helper');
    expect(mine.map((gpt) => gpt.slug)).not.toContain('travel-helper-2');
    expect((await service.listEditable(organisationAdmin)).map((gpt) => gpt.slug)).toContain('travel-helper-2');
    await service.create({ name: 'Elsewhere', base_model: 'chat-default' }, stranger);
    expect((await service.listEditable(stranger)).map((gpt) => gpt.slug)).toEqual(['elsewhere']);
    expect((await service.listEditable(installationAdmin, { organisationId: 'org_other' })).map((gpt) => gpt.organisation_id)).toEqual(['org_other']);

    const limited = new GptService({ database, config: { ...config, limits: { maxGptsPerOrganisation: 1 } } });
    await limited.create({ name: 'Only one', base_model: 'anything' }, principal('key_small', 'org_small'));
    expect(await failure(limited.create({ name: 'One more', base_model: 'anything' }, principal('key_small', 'org_small')))).toMatchObject({ status: 409, code: 'gpt_limit_reached' });
  });
});
