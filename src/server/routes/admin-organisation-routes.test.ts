import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseTargets } from '../../../test/support/test-databases.js';
import { startTestServer, type TestServer } from '../../../test/support/test-server.js';

interface ErrorReply {
  error: { code: string; param: string | null; message: string };
}

// Each test opens a fresh migrated database; on a busy machine PostgreSQL setup alone can pass the 5 s default.
describe.each(testDatabaseTargets())('admin organisations API on $name', { timeout: 60_000 }, (target) => {
  let test: TestServer;
  const as = (key: string) => ({ authorization: `Bearer ${key}` });
  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, key: string, payload?: object) =>
    test.server.app.inject({ method, url, headers: as(key), ...(payload === undefined ? {} : { payload }) });

  beforeAll(async () => {
    test = await startTestServer(target);
  }, 60_000);
  afterAll(async () => {
    await test.close();
  });

  it('lets an installation admin create organisations, projects and users, and an owner manage only its own', async () => {
    const acme = await call('POST', '/admin/v1/organisations', test.adminKey, { name: 'Acme', requests_per_minute: 600 });
    expect(acme.statusCode).toBe(201);
    const acmeId = acme.json<{ id: string }>().id;
    expect(acme.json()).toMatchObject({ object: 'organisation', name: 'Acme', slug: 'acme', requests_per_minute: 600, tokens_per_minute: null });
    const other = (await call('POST', '/admin/v1/organisations', test.adminKey, { name: 'Other' })).json<{ id: string }>().id;
    expect((await call('POST', '/admin/v1/organisations', test.adminKey, { name: 'Acme' })).statusCode).toBe(409);

    const project = await call('POST', `/admin/v1/organisations/${acmeId}/projects`, test.adminKey, { name: 'research', tokens_per_minute: 100000 });
    expect(project.statusCode).toBe(201);
    const projectId = project.json<{ id: string }>().id;
    const owner = await call('POST', `/admin/v1/organisations/${acmeId}/users`, test.adminKey, { email: 'boss@acme.test', role: 'owner' });
    expect(owner.statusCode).toBe(201);
    const ownerId = owner.json<{ id: string }>().id;

    const ownerKeyReply = await call('POST', '/admin/v1/keys', test.adminKey, {
      name: 'boss',
      organisation_id: acmeId,
      project_id: projectId,
      user_id: ownerId,
      scopes: { allowed_models: ['qwen-*'], ip_allow_list: ['127.0.0.0/8', '::1/128'] },
      expires_at: '2999-01-01T00:00:00Z',
      requests_per_minute: 30,
    });
    expect(ownerKeyReply.statusCode).toBe(201);
    const ownerKey = ownerKeyReply.json<{ key: string }>().key;
    expect(ownerKeyReply.json()).toMatchObject({
      organisation_id: acmeId,
      project_id: projectId,
      user_id: ownerId,
      scopes: { allowed_models: ['qwen-*'], denied_models: [], allowed_gpts: null, ip_allow_list: ['127.0.0.0/8', '::1/128'] },
      expires_at: '2999-01-01T00:00:00.000Z',
      requests_per_minute: 30,
      tokens_per_minute: null,
    });

    // The owner sees and manages its own organisation only; other tenants' ids are 404.
    const listed = await call('GET', '/admin/v1/organisations', ownerKey);
    expect(listed.json<{ data: { id: string }[] }>().data.map((organisation) => organisation.id)).toEqual([acmeId]);
    expect((await call('GET', `/admin/v1/organisations/${other}`, ownerKey)).statusCode).toBe(404);
    expect((await call('GET', `/admin/v1/organisations/${other}/projects`, ownerKey)).json<ErrorReply>().error.code).toBe('organisation_not_found');
    expect((await call('POST', `/admin/v1/organisations/${other}/users`, ownerKey, { email: 'x@y.test' })).statusCode).toBe(404);
    expect((await call('PATCH', `/admin/v1/organisations/${acmeId}`, ownerKey, { name: 'Acme Ltd' })).json()).toMatchObject({ name: 'Acme Ltd' });
    expect((await call('POST', '/admin/v1/organisations', ownerKey, { name: 'Mine' })).statusCode).toBe(403);
    const member = await call('POST', `/admin/v1/organisations/${acmeId}/users`, ownerKey, { email: 'Dev@Acme.test', role: 'member' });
    expect(member.json()).toMatchObject({ object: 'organisation.user', email: 'dev@acme.test', role: 'member', organisation_id: acmeId });
    const memberId = member.json<{ id: string }>().id;

    // Keys: the owner's listing holds its organisation's keys only, never a key or its hash.
    const memberKey = (await call('POST', '/admin/v1/keys', ownerKey, { name: 'dev', user_id: memberId })).json<{ key: string; project_id: string }>();
    expect(memberKey.project_id).toBe((await call('GET', `/admin/v1/organisations/${acmeId}/projects`, ownerKey)).json<{ data: { id: string }[] }>().data[0]?.id);
    const keys = await call('GET', '/admin/v1/keys', ownerKey);
    expect(keys.json<{ data: { organisation_id: string }[] }>().data.map((key) => key.organisation_id)).toEqual([acmeId, acmeId]);
    expect(keys.body).not.toContain(memberKey.key);
    expect(keys.body).not.toContain('key_hash');
    const adminKeys = await call('GET', `/admin/v1/keys?organisation_id=${acmeId}`, test.adminKey);
    expect(adminKeys.json<{ data: unknown[] }>().data).toHaveLength(2);
    const defaultKeyId = (await call('GET', '/admin/v1/keys?organisation_id=org_default', test.adminKey)).json<{ data: { id: string }[] }>().data[0]?.id;
    expect((await call('DELETE', `/admin/v1/keys/${defaultKeyId}`, ownerKey)).statusCode).toBe(404);
    expect((await call('GET', '/admin/v1/keys?organisation_id=org_default', ownerKey)).statusCode).toBe(404);

    // A plain member gets 403 on management; a user key never reaches installation-only admin routes.
    const memberReply = await call('GET', `/admin/v1/organisations/${acmeId}/users`, memberKey.key);
    expect(memberReply.statusCode).toBe(403);
    expect(memberReply.json<ErrorReply>().error.code).toBe('permission_denied');
    expect((await call('GET', '/admin/v1/routes', ownerKey)).statusCode).toBe(403);
    expect((await call('GET', '/admin/v1/keys', test.userKey)).statusCode).toBe(403);

    // Every change is in the audit log, with who made it and, for an edit, before and after.
    const audit = await call('GET', `/admin/v1/audit-log?organisation_id=${acmeId}&limit=50`, test.adminKey);
    type Entry = { action: string; actor_key_id: string; target_id: string; before: { name?: string } | null; after: { name?: string } | null };
    const entries = audit.json<{ data: Entry[] }>().data;
    expect(entries.map((entry) => entry.action)).toEqual(expect.arrayContaining(['organisation.create', 'project.create', 'member.add', 'organisation.update', 'key.create']));
    const rename = entries.find((entry) => entry.action === 'organisation.update');
    expect(rename).toMatchObject({ target_id: acmeId, before: { name: 'Acme' }, after: { name: 'Acme Ltd' } });
    expect(entries.filter((entry) => entry.action === 'member.add').map((entry) => entry.target_id)).toEqual(expect.arrayContaining([ownerId, memberId]));
  });

  it('answers bad input with 400 naming the parameter', async () => {
    const organisation = (await call('POST', '/admin/v1/organisations', test.adminKey, { name: 'Validation' })).json<{ id: string }>().id;
    const other = (await call('POST', '/admin/v1/organisations', test.adminKey, { name: 'Elsewhere' })).json<{ id: string }>().id;
    const foreignProject = (await call('GET', `/admin/v1/organisations/${other}/projects`, test.adminKey)).json<{ data: { id: string }[] }>().data[0]?.id;
    const cases: [object, string][] = [
      [{ name: 'x', colour: 'red' }, ''],
      [{ name: 'x', scopes: { ip_allow_list: ['10.0.0.300/8'] } }, 'scopes.ip_allow_list[0]'],
      [{ name: 'x', scopes: { denied_models: ['bad glob'] } }, 'scopes.denied_models[0]'],
      [{ name: 'x', expires_at: '2001-01-01T00:00:00Z' }, 'expires_at'],
      [{ name: 'x', organisation_id: organisation, project_id: foreignProject }, 'project_id'],
      [{ name: 'x', requests_per_minute: -1 }, 'requests_per_minute'],
    ];
    for (const [payload, param] of cases) {
      const reply = await call('POST', '/admin/v1/keys', test.adminKey, payload);
      expect(reply.statusCode, JSON.stringify(payload)).toBe(400);
      if (param !== '') expect(reply.json<ErrorReply>().error.param).toBe(param);
      else expect(reply.json<ErrorReply>().error.message).toMatch(/colour/);
    }
    expect((await call('POST', `/admin/v1/organisations/${organisation}/users`, test.adminKey, { email: 'not-an-email' })).json<ErrorReply>().error.param).toBe('email');
    expect((await call('POST', `/admin/v1/organisations/${organisation}/users`, test.adminKey, { email: 'a@b.test', role: 'king' })).json<ErrorReply>().error.param).toBe('role');
    expect((await call('POST', '/admin/v1/organisations', test.adminKey, { name: 'x', slug: 'Bad Slug' })).json<ErrorReply>().error.param).toBe('slug');
  });

  it('enforces expiry and the IP allow list on the request path', async () => {
    const outside = (await call('POST', '/admin/v1/keys', test.adminKey, { name: 'remote only', scopes: { ip_allow_list: ['203.0.113.0/24'] } })).json<{ key: string }>().key;
    const refused = await call('GET', '/v1/models', outside);
    expect(refused.statusCode).toBe(403);
    expect(refused.json<ErrorReply>().error).toMatchObject({ code: 'ip_not_allowed' });
    expect(refused.json<ErrorReply>().error.message).toContain('127.0.0.1');
  });
});
