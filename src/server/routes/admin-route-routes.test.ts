import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUpstreamStub, type UpstreamStub } from '../../../test/support/openai-upstream-stub.js';
import { testDatabaseTargets } from '../../../test/support/test-databases.js';
import { startTestServer, type TestServer } from '../../../test/support/test-server.js';

describe.each(testDatabaseTargets())('admin routes API on $name', (target) => {
  let upstream: UpstreamStub;
  let test: TestServer;
  const admin = () => ({ authorization: `Bearer ${test.adminKey}` });
  const chat = (model: string) =>
    test.server.app.inject({ method: 'POST', url: '/v1/chat/completions', headers: { authorization: `Bearer ${test.userKey}` }, payload: { model, messages: [{ role: 'user', content: 'hi' }] } });

  beforeAll(async () => {
    upstream = await startUpstreamStub();
    test = await startTestServer(target, {
      providers: [{ id: 'vendor', type: 'openai-compatible', baseUrl: upstream.baseUrl, models: ['model-a', 'model-b'] }],
      routes: [{ model: 'from-file', targets: [{ provider: 'vendor', model: 'model-a' }] }],
    });
  });
  afterAll(async () => {
    await test.close();
    await upstream.close();
  });

  it('creates a route that serves at once, lists it beside file routes, and deletes it', async () => {
    expect((await chat('support-bot')).statusCode).toBe(404);
    const created = await test.server.app.inject({
      method: 'PUT',
      url: '/admin/v1/routes/support-bot',
      headers: admin(),
      payload: { strategy: 'weighted', targets: [{ provider: 'vendor', model: 'model-a', weight: 3 }, { provider: 'vendor', model: 'model-b', weight: 1 }] },
    });
    expect(created.statusCode).toBe(200);
    expect(created.json()).toMatchObject({ model: 'support-bot', strategy: 'weighted', source: 'admin' });
    expect((await chat('support-bot')).statusCode).toBe(200);

    const models = await test.server.app.inject({ method: 'GET', url: '/v1/models', headers: { authorization: `Bearer ${test.userKey}` } });
    expect(models.json<{ data: { id: string }[] }>().data.map((model) => model.id)).toContain('support-bot');
    const listed = await test.server.app.inject({ method: 'GET', url: '/admin/v1/routes', headers: admin() });
    expect(listed.json<{ data: { model: string; source: string }[] }>().data.map((route) => [route.model, route.source])).toEqual([
      ['from-file', 'file'],
      ['support-bot', 'admin'],
    ]);

    const deleted = await test.server.app.inject({ method: 'DELETE', url: '/admin/v1/routes/support-bot', headers: admin() });
    expect(deleted.json()).toEqual({ object: 'route', model: 'support-bot', deleted: true });
    expect((await chat('support-bot')).statusCode).toBe(404);
  });

  it('refuses a route to an unknown provider, a bad strategy, and deleting a file route', async () => {
    const unknownProvider = await test.server.app.inject({ method: 'PUT', url: '/admin/v1/routes/x', headers: admin(), payload: { targets: [{ provider: 'nobody', model: 'm' }] } });
    expect(unknownProvider.statusCode).toBe(400);
    expect(unknownProvider.json<{ error: { code: string; message: string } }>().error).toMatchObject({ code: 'invalid_route' });
    expect((await chat('x')).statusCode).toBe(404);
    const badStrategy = await test.server.app.inject({ method: 'PUT', url: '/admin/v1/routes/x', headers: admin(), payload: { strategy: 'random', targets: [{ provider: 'vendor', model: 'model-a' }] } });
    expect(badStrategy.statusCode).toBe(400);
    expect(badStrategy.json<{ error: { param: string } }>().error.param).toBe('strategy');
    const fileRoute = await test.server.app.inject({ method: 'DELETE', url: '/admin/v1/routes/from-file', headers: admin() });
    expect(fileRoute.statusCode).toBe(409);
    const missing = await test.server.app.inject({ method: 'DELETE', url: '/admin/v1/routes/never', headers: admin() });
    expect(missing.statusCode).toBe(404);
    const userKey = await test.server.app.inject({ method: 'GET', url: '/admin/v1/routes', headers: { authorization: `Bearer ${test.userKey}` } });
    expect(userKey.statusCode).toBe(403);
  });
});
