import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseTargets } from '../../../test/support/test-databases.js';
import { startTestServer, type TestServer } from '../../../test/support/test-server.js';

interface ErrorBody { error: { message: string; param: string | null; code: string | null } }
interface Entry { action: string; target_type: string; target_id: string; actor_key_id: string; before: unknown; after: unknown; request_id: string | null; created_at: string }
interface Page { object: string; data: Entry[]; has_more: boolean; next_cursor: string | null }

describe.each(testDatabaseTargets())('audit log API on $name', (target) => {
  let test: TestServer;
  let adminKeyId: string;
  const admin = () => ({ authorization: `Bearer ${test.adminKey}` });
  const auditLog = (query = '') => test.server.app.inject({ method: 'GET', url: `/admin/v1/audit-log${query}`, headers: admin() });

  beforeAll(async () => {
    test = await startTestServer(target, { providers: [{ id: 'vendor', type: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1', models: ['model-a'] }] });
    const keys = await test.server.app.inject({ method: 'GET', url: '/admin/v1/keys', headers: admin() });
    adminKeyId = keys.json<{ data: { id: string; name: string }[] }>().data.find((key) => key.name === 'test admin')?.id ?? '';
  });
  afterAll(async () => test.close());

  it('records route changes with who, the request id, and the route before and after', async () => {
    const created = await test.server.app.inject({ method: 'PUT', url: '/admin/v1/routes/support', headers: { ...admin(), 'x-request-id': 'req-audit-create' }, payload: { targets: [{ provider: 'vendor', model: 'model-a' }] } });
    expect(created.statusCode).toBe(200);
    await test.server.app.inject({ method: 'PUT', url: '/admin/v1/routes/support', headers: admin(), payload: { strategy: 'weighted', targets: [{ provider: 'vendor', model: 'model-a', weight: 2 }] } });
    const deleted = await test.server.app.inject({ method: 'DELETE', url: '/admin/v1/routes/support', headers: admin() });
    expect(deleted.statusCode).toBe(200);

    const page = (await auditLog('?target_type=route&target_id=support')).json<Page>();
    expect(page).toMatchObject({ object: 'list', has_more: false, next_cursor: null });
    expect(page.data.map((entry) => entry.action)).toEqual(['route.delete', 'route.update', 'route.create']);
    const [removal, update, creation] = page.data;
    expect(creation).toMatchObject({ actor_key_id: adminKeyId, request_id: 'req-audit-create', before: null, after: { model: 'support', strategy: 'fallback', source: 'admin' } });
    expect(update).toMatchObject({ before: { strategy: 'fallback' }, after: { strategy: 'weighted', targets: [{ weight: 2 }] } });
    expect(removal).toMatchObject({ before: { model: 'support', strategy: 'weighted' }, after: null });
    expect(removal?.request_id).toBe(deleted.headers['x-request-id']);
  });

  it('records catalogue changes: a price version and a deprecation', async () => {
    const priced = await test.server.app.inject({ method: 'POST', url: '/admin/v1/models/grok-1/prices', headers: admin(), payload: { effective_from: '2999-01-01', currency: 'USD', input_per_million_tokens: 1, output_per_million_tokens: 2 } });
    expect(priced.statusCode).toBe(201);
    const deprecated = await test.server.app.inject({ method: 'POST', url: '/admin/v1/models/grok-1/deprecate', headers: admin(), payload: { sunset_date: '2999-06-30' } });
    expect(deprecated.statusCode).toBe(200);
    const entries = (await auditLog('?target_id=grok-1')).json<Page>().data;
    expect(entries.map((entry) => entry.action)).toEqual(['model.deprecate', 'model.price.add']);
    expect(entries[1]?.after).toMatchObject({ effective_from: '2999-01-01T00:00:00.000Z', input_per_million_tokens: 1 });
    expect(entries[0]?.before).toMatchObject({ id: 'grok-1', deprecation: null });
    expect(entries[0]?.after).toMatchObject({ deprecation: { sunset_date: '2999-06-30' } });
  });

  it('filters by action prefix, actor and time, and pages with a cursor', async () => {
    expect((await auditLog('?action=route.*')).json<Page>().data).toHaveLength(3);
    expect((await auditLog(`?actor=${adminKeyId}`)).json<Page>().data).toHaveLength(5);
    expect((await auditLog('?actor=key_nobody')).json<Page>().data).toHaveLength(0);
    expect((await auditLog('?from=2999-01-01')).json<Page>().data).toHaveLength(0);
    expect((await auditLog(`?to=${encodeURIComponent('2000-01-01T00:00:00Z')}`)).json<Page>().data).toHaveLength(0);

    const seen: string[] = [];
    let query = '?limit=2';
    for (let pages = 0; pages < 10; pages += 1) {
      const page = (await auditLog(query)).json<Page>();
      seen.push(...page.data.map((entry) => `${entry.action}:${entry.target_id}`));
      if (!page.has_more) break;
      expect(page.next_cursor).toEqual(expect.any(String));
      query = `?limit=2&cursor=${page.next_cursor ?? ''}`;
    }
    expect(seen).toEqual(['model.deprecate:grok-1', 'model.price.add:grok-1', 'route.delete:support', 'route.update:support', 'route.create:support']);
  });

  it('answers 400 naming the parameter for an unknown one, a bad value or a reversed range; 403 for a user key', async () => {
    const unknown = await auditLog('?actions=key.create');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json<ErrorBody>().error).toMatchObject({ param: 'actions', code: 'unknown_parameter' });
    expect(unknown.json<ErrorBody>().error.message).toContain("'actions'");
    const reversed = await auditLog('?from=2026-02-01&to=2026-01-01');
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json<ErrorBody>().error.param).toBe('from');
    const notADate = await auditLog('?from=yesterday');
    expect(notADate.json<ErrorBody>().error.param).toBe('from');
    expect((await auditLog('?limit=0')).json<ErrorBody>().error.param).toBe('limit');
    expect((await auditLog('?cursor=garbage')).json<ErrorBody>().error.param).toBe('cursor');
    const user = await test.server.app.inject({ method: 'GET', url: '/admin/v1/audit-log', headers: { authorization: `Bearer ${test.userKey}` } });
    expect(user.statusCode).toBe(403);
  });

  it('records keys created and revoked, never the key itself', async () => {
    const created = await test.server.app.inject({ method: 'POST', url: '/admin/v1/keys', headers: admin(), payload: { name: 'audited key' } });
    expect(created.statusCode).toBe(201);
    const { id, key } = created.json<{ id: string; key: string }>();
    expect((await test.server.app.inject({ method: 'DELETE', url: `/admin/v1/keys/${id}`, headers: admin() })).statusCode).toBe(200);
    // Revoking again changes nothing, so it records nothing.
    expect((await test.server.app.inject({ method: 'DELETE', url: `/admin/v1/keys/${id}`, headers: admin() })).statusCode).toBe(200);

    const log = await auditLog(`?action=key.*&target_id=${id}`);
    const entries = log.json<Page>().data;
    expect(entries.map((entry) => entry.action)).toEqual(['key.revoke', 'key.create']);
    expect(entries[1]).toMatchObject({ target_type: 'api_key', actor_key_id: adminKeyId, before: null, after: { id, name: 'audited key', display_hint: expect.any(String), revoked_at: null } });
    expect(entries[0]).toMatchObject({ before: { revoked_at: null }, after: { revoked_at: expect.any(String) } });
    expect(log.body).not.toContain(key);
    const rows = await test.server.app.inject({ method: 'GET', url: '/admin/v1/audit-log?limit=200', headers: admin() });
    expect(rows.body).not.toContain(key);
    expect(rows.body).not.toContain('key_hash');
  });
});
