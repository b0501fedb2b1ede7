import Fastify, { type FastifyInstance, type InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../accounts/index.js';
import { testDatabaseTargets } from '../../../test/support/test-databases.js';
import { createStoreWorld, insertGpt, insertUsage, type StoreWorld } from '../../gpts/store/gpt-store-test-fixtures.js';
import type { Database } from '../../storage/index.js';
import { installErrorHandling } from '../error-handler.js';
import { createAuthenticationHook } from '../middleware/authentication.js';
import { decorateAuditLog } from './admin-audit-recording.js';
import { registerAdminAuditRoutes } from './admin-audit-routes.js';
import { registerAdminGptModerationRoutes } from './admin-gpt-moderation-routes.js';
import { registerStoreBuilderRoutes } from './store-builder-routes.js';
import { registerStoreGptListingRoutes } from './store-gpt-listing-routes.js';
import { registerStoreGptReviewRoutes } from './store-gpt-review-routes.js';

interface ErrorBody { error: { message: string; type: string; param: string | null; code: string | null } }
interface Listing { object: string; data: { slug: string; builder: { name: string; verified: boolean } }[]; has_more: boolean; next_cursor: string | null }

/** The store's routes as the server registers them: public store scope (a key optional) and the admin scope. */
function buildStoreApp(world: StoreWorld, auditLog: AuditLog, options: { readonly privateStore: boolean }): FastifyInstance {
  const app = Fastify();
  installErrorHandling(app, 1_000_000);
  decorateAuditLog(app, auditLog);
  void app.register(async (scope) => {
    if (options.privateStore) scope.addHook('onRequest', createAuthenticationHook(world.apiKeys, { adminOnly: false }));
    registerStoreGptListingRoutes(scope, world.store, world.apiKeys, { editorPage: async (slug) => ({ draft: { slug, instructions: 'Be helpful.' }, versions: [] }) });
    registerStoreGptReviewRoutes(scope, world.store, world.apiKeys);
    registerStoreBuilderRoutes(scope, world.store, world.apiKeys);
  });
  void app.register(async (scope) => {
    scope.addHook('onRequest', createAuthenticationHook(world.apiKeys, { adminOnly: true }));
    registerAdminGptModerationRoutes(scope, world.store);
    registerAdminAuditRoutes(scope, auditLog);
  });
  return app;
}

describe.each(testDatabaseTargets())('GPT store routes on $name', (target) => {
  let database: Database;
  let dispose: () => Promise<void>;
  let world: StoreWorld;
  let app: FastifyInstance;
  let writerId: string;
  const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
  const call = (options: InjectOptions) => app.inject(options);

  beforeAll(async () => {
    const opened = await target.open();
    database = opened.database;
    dispose = opened.dispose;
    world = await createStoreWorld(database, { resolveTxt: async () => [] });
    app = buildStoreApp(world, new AuditLog(database), { privateStore: false });
    await app.ready();
    writerId = await insertGpt(database, { slug: 'acme-writer', name: 'Writer', category: 'Writing', creator: world.acme.owner.principal });
    await insertGpt(database, { slug: 'acme-internal', visibility: 'organisation', creator: world.acme.owner.principal });
    await insertGpt(database, { slug: 'globex-coder', category: 'Programming', creator: world.globex.owner.principal });
  });
  afterAll(async () => {
    await app.close();
    await dispose();
  });

  it('lists without a key, widens the listing for a key, and answers 400/401/404 in the OpenAI error shape', async () => {
    const anonymous = await call({ method: 'GET', url: '/store/v1/gpts?sort=new' });
    expect(anonymous.statusCode).toBe(200);
    expect(anonymous.json<Listing>().data.map((item) => item.slug).sort()).toEqual(['acme-writer', 'globex-coder']);
    const member = await call({ method: 'GET', url: '/store/v1/gpts?sort=new', headers: bearer(world.acme.member.key) });
    expect(member.json<Listing>().data.map((item) => item.slug).sort()).toEqual(['acme-internal', 'acme-writer', 'globex-coder']);

    const badSort = await call({ method: 'GET', url: '/store/v1/gpts?sort=hot' });
    expect(badSort.statusCode).toBe(400);
    expect(badSort.json<ErrorBody>().error).toMatchObject({ type: 'invalid_request_error', param: 'sort' });
    expect((await call({ method: 'GET', url: '/store/v1/gpts?limit=500' })).json<ErrorBody>().error.param).toBe('limit');
    expect((await call({ method: 'GET', url: '/store/v1/gpts?cursor=%%%' })).json<ErrorBody>().error.param).toBe('cursor');
    const badKey = await call({ method: 'GET', url: '/store/v1/gpts', headers: bearer('mm-not-a-key') });
    expect(badKey.statusCode).toBe(401);

    const hidden = await call({ method: 'GET', url: '/store/v1/gpts/acme-internal', headers: bearer(world.globex.owner.key) });
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json<ErrorBody>().error).toMatchObject({ code: 'gpt_not_found', param: 'slug' });
    const memberPage = await call({ method: 'GET', url: '/store/v1/gpts/acme-internal', headers: bearer(world.acme.member.key) });
    expect(memberPage.statusCode).toBe(200);
    expect(memberPage.json()).toMatchObject({ editable: false });
    expect(memberPage.json()).not.toHaveProperty('draft');
    // Its editor gets the definitions' editor fields on the same page.
    const editorPage = await call({ method: 'GET', url: '/store/v1/gpts/acme-internal', headers: bearer(world.acme.owner.key) });
    expect(editorPage.json()).toMatchObject({ slug: 'acme-internal', editable: true, draft: { slug: 'acme-internal', instructions: 'Be helpful.' }, versions: [] });

    const categories = await call({ method: 'GET', url: '/store/v1/gpts/categories' });
    expect(categories.json<{ data: { category: string; count: number }[] }>().data.map((entry) => [entry.category, entry.count])).toEqual([['Programming', 1], ['Writing', 1]]);
  });

  it('rates only after use (403 gpt_not_used), 401 without a key, 201 then 200 on a second rating; reviews are public', async () => {
    const url = '/store/v1/gpts/acme-writer/reviews';
    expect((await call({ method: 'POST', url, payload: { stars: 5 } })).statusCode).toBe(401);
    const unused = await call({ method: 'POST', url, headers: bearer(world.globex.member.key), payload: { stars: 5 } });
    expect(unused.statusCode).toBe(403);
    expect(unused.json<ErrorBody>().error).toMatchObject({ type: 'permission_error', code: 'gpt_not_used' });

    await insertUsage(database, { gptId: writerId, caller: world.globex.member.principal });
    const first = await call({ method: 'POST', url, headers: bearer(world.globex.member.key), payload: { stars: 5, review: 'Great.' } });
    expect(first.statusCode).toBe(201);
    const second = await call({ method: 'POST', url, headers: bearer(world.globex.member.key), payload: { stars: 4, review: 'Good.' } });
    expect(second.statusCode).toBe(200);
    expect(second.json()).toMatchObject({ updated: true, summary: { count: 1, average: 4 } });
    const reviews = await call({ method: 'GET', url });
    expect(reviews.json()).toMatchObject({ object: 'list', data: [{ stars: 4, review: 'Good.', author_name: null }], summary: { count: 1 } });
    const colleague = await call({ method: 'GET', url, headers: bearer(world.globex.owner.key) });
    expect(colleague.json()).toMatchObject({ data: [{ author_name: 'Globex Member' }] });
  });

  it('reports; admins read the queue and hide, restore and feature, each in the audit log; others get 403', async () => {
    const reported = await call({ method: 'POST', url: '/store/v1/gpts/globex-coder/reports', headers: bearer(world.acme.member.key), payload: { reason: 'harmful', details: 'Suggests deleting production data.' } });
    expect(reported.statusCode).toBe(201);
    const admin = bearer(world.admin.key);
    expect((await call({ method: 'GET', url: '/admin/v1/gpts/reports?status=open', headers: bearer(world.acme.owner.key) })).statusCode).toBe(403);
    const queue = await call({ method: 'GET', url: '/admin/v1/gpts/reports?status=open', headers: admin });
    expect(queue.json<{ data: { gpt_slug: string; reason: string }[] }>().data).toEqual([expect.objectContaining({ gpt_slug: 'globex-coder', reason: 'harmful' })]);
    expect((await call({ method: 'GET', url: '/admin/v1/gpts/reports?status=closed', headers: admin })).json<ErrorBody>().error.param).toBe('status');

    expect((await call({ method: 'POST', url: '/admin/v1/gpts/globex-coder/hide', headers: admin, payload: {} })).json<ErrorBody>().error.param).toBe('reason');
    const hidden = await call({ method: 'POST', url: '/admin/v1/gpts/globex-coder/hide', headers: admin, payload: { reason: 'Dangerous advice.' } });
    expect(hidden.statusCode).toBe(200);
    expect(hidden.json()).toMatchObject({ slug: 'globex-coder', hidden: true, hidden_reason: 'Dangerous advice.', resolved_reports: 1 });
    expect((await call({ method: 'GET', url: '/store/v1/gpts/globex-coder' })).statusCode).toBe(404);
    expect((await call({ method: 'GET', url: '/store/v1/gpts', headers: bearer(world.globex.owner.key) })).json<Listing>().data.map((item) => item.slug)).not.toContain('globex-coder');

    expect((await call({ method: 'POST', url: '/admin/v1/gpts/globex-coder/restore', headers: admin })).json()).toMatchObject({ hidden: false });
    expect((await call({ method: 'POST', url: '/admin/v1/gpts/globex-coder/feature', headers: admin })).json()).toMatchObject({ featured: true });
    expect((await call({ method: 'GET', url: '/store/v1/gpts?sort=featured' })).json<Listing>().data.map((item) => item.slug)).toEqual(['globex-coder']);
    expect((await call({ method: 'POST', url: '/admin/v1/gpts/globex-coder/unfeature', headers: admin })).json()).toMatchObject({ featured: false });
    expect((await call({ method: 'POST', url: '/admin/v1/gpts/nothing/feature', headers: admin })).statusCode).toBe(404);

    const audit = await call({ method: 'GET', url: '/admin/v1/audit-log?action=gpt.*', headers: admin });
    const entries = audit.json<{ data: { action: string; target_id: string; organisation_id: string | null; before: unknown; after: unknown }[] }>().data;
    expect(entries.map((entry) => entry.action)).toEqual(['gpt.unfeature', 'gpt.feature', 'gpt.restore', 'gpt.hide']);
    expect(entries[3]).toMatchObject({ organisation_id: world.globex.id, before: { hidden: false }, after: { hidden: true, hidden_reason: 'Dangerous advice.' } });
  });

  it('serves builder profiles and domain claims; verification failure is a 422 saying what was found', async () => {
    expect((await call({ method: 'GET', url: '/store/v1/builders/me' })).statusCode).toBe(401);
    const owner = bearer(world.acme.owner.key);
    const updated = await call({ method: 'PUT', url: '/store/v1/builders/me', headers: owner, payload: { display_name: 'Acme Writing', website: 'https://acme.example' } });
    expect(updated.json()).toMatchObject({ display_name: 'Acme Writing', verified: false });
    expect((await call({ method: 'PUT', url: '/store/v1/builders/me', headers: bearer(world.acme.member.key), payload: { bio: 'x' } })).statusCode).toBe(403);
    const claimed = await call({ method: 'POST', url: '/store/v1/builders/me/domains', headers: owner, payload: { domain: 'acme.example' } });
    expect(claimed.statusCode).toBe(201);
    expect(claimed.json()).toMatchObject({ domain: 'acme.example', proofs: { well_known: { url: 'https://acme.example/.well-known/modelmart-verification.txt' }, dns: { type: 'TXT' } } });
    const failed = await call({ method: 'POST', url: '/store/v1/builders/me/domains/acme.example/verify', headers: owner, payload: { method: 'dns' } });
    expect(failed.statusCode).toBe(422);
    expect(failed.json<ErrorBody>().error).toMatchObject({ code: 'domain_verification_failed', param: 'domain' });
    expect(failed.json<ErrorBody>().error.message).toContain('no TXT records on acme.example');

    const profile = await call({ method: 'GET', url: `/store/v1/builders/${world.acme.id}` });
    expect(profile.json()).toMatchObject({ organisation_id: world.acme.id, display_name: 'Acme Writing', gpts: [{ slug: 'acme-writer', builder: { name: 'Acme Writing' } }] });
    expect((await call({ method: 'GET', url: '/store/v1/builders/org_missing' })).statusCode).toBe(404);
  });

  it("shows a GPT's statistics to its editors only", async () => {
    const url = '/store/v1/gpts/acme-writer/stats';
    expect((await call({ method: 'GET', url })).statusCode).toBe(401);
    const stats = await call({ method: 'GET', url, headers: bearer(world.acme.owner.key) });
    expect(stats.statusCode).toBe(200);
    expect(stats.json()).toMatchObject({ object: 'store.gpt.stats', totals: { calls: 1, distinct_callers: 1 }, rating: { count: 1 } });
    expect((await call({ method: 'GET', url, headers: bearer(world.globex.member.key) })).statusCode).toBe(403);
  });

  it('answers only callers with a key when the store is private', async () => {
    const privateApp = buildStoreApp(world, new AuditLog(database), { privateStore: true });
    await privateApp.ready();
    try {
      expect((await privateApp.inject({ method: 'GET', url: '/store/v1/gpts' })).statusCode).toBe(401);
      const listed = await privateApp.inject({ method: 'GET', url: '/store/v1/gpts', headers: bearer(world.acme.member.key) });
      expect(listed.json<Listing>().data.map((item) => item.slug)).toContain('acme-internal');
    } finally {
      await privateApp.close();
    }
  });
});
