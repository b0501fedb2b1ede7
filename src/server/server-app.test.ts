import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteTarget, testDatabaseTargets } from '../../test/support/test-databases.js';
import { startTestServer, type TestServer } from '../../test/support/test-server.js';

function expectOpenAiError(body: string, code: string | null): { message: string; type: string } {
  const parsed = JSON.parse(body) as { error: { message: string; type: string; param: unknown; code: unknown } };
  expect(Object.keys(parsed.error).sort()).toEqual(['code', 'message', 'param', 'type']);
  expect(parsed.error.code).toBe(code);
  return parsed.error;
}

describe('server basics', () => {
  let test: TestServer;
  beforeAll(async () => {
    test = await startTestServer(sqliteTarget, { server: { bodyLimit: 1024 } });
  });
  afterAll(async () => test.close());

  it('answers /healthz and /readyz', async () => {
    const health = await test.server.app.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toEqual({ status: 'ok' });
    const ready = await test.server.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.json()).toEqual({ status: 'ready', database: 'sqlite', migrations: 'current' });
  });

  it('sets x-request-id, keeping a client id and logging it', async () => {
    const generated = await test.server.app.inject({ method: 'GET', url: '/healthz' });
    expect(generated.headers['x-request-id']).toMatch(/^req_/);
    const kept = await test.server.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'client-abc-123' } });
    expect(kept.headers['x-request-id']).toBe('client-abc-123');
    const hostile = await test.server.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'a b\tc' } });
    expect(hostile.headers['x-request-id']).toMatch(/^req_/);
    const line = test.logLines.map((text) => JSON.parse(text) as Record<string, unknown>).find((entry) => entry.requestId === 'client-abc-123');
    expect(line).toMatchObject({ msg: 'request completed', status: 200, url: '/healthz' });
  });

  it('exposes Prometheus metrics by route and status', async () => {
    await test.server.app.inject({ method: 'GET', url: '/healthz' });
    const metrics = await test.server.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.headers['content-type']).toContain('text/plain');
    expect(metrics.body).toMatch(/modelmart_http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+/);
    expect(metrics.body).toContain('modelmart_http_request_duration_seconds_bucket');
    expect(metrics.body).toContain('modelmart_http_requests_in_flight');
  });

  it('answers an unknown route with a 404 in the OpenAI shape', async () => {
    const response = await test.server.app.inject({ method: 'GET', url: '/v2/nothing?x=1' });
    expect(response.statusCode).toBe(404);
    expect(expectOpenAiError(response.body, 'unknown_url').message).toContain('GET /v2/nothing');
    expect(response.headers['x-request-id']).toMatch(/^req_/);
  });

  it('refuses missing, wrong and revoked keys with 401 invalid_api_key', async () => {
    const missing = await test.server.app.inject({ method: 'GET', url: '/v1/models' });
    expect(missing.statusCode).toBe(401);
    expectOpenAiError(missing.body, 'invalid_api_key');
    const wrong = await test.server.app.inject({ method: 'GET', url: '/v1/models', headers: { authorization: 'Bearer mm-not-a-real-key' } });
    expect(wrong.statusCode).toBe(401);
    const created = await test.apiKeys.createKey({ name: 'short-lived', role: 'user' });
    const before = await test.server.app.inject({ method: 'GET', url: '/v1/models', headers: { authorization: `Bearer ${created.key}` } });
    expect(before.statusCode).toBe(200);
    const revoke = await test.server.app.inject({ method: 'DELETE', url: `/admin/v1/keys/${created.record.id}`, headers: { authorization: `Bearer ${test.adminKey}` } });
    expect(revoke.statusCode).toBe(200);
    const after = await test.server.app.inject({ method: 'GET', url: '/v1/models', headers: { authorization: `Bearer ${created.key}` } });
    expect(after.statusCode).toBe(401);
  });

  it('keeps /admin/v1 for admin keys', async () => {
    const response = await test.server.app.inject({ method: 'GET', url: '/admin/v1/keys', headers: { authorization: `Bearer ${test.userKey}` } });
    expect(response.statusCode).toBe(403);
    expectOpenAiError(response.body, 'permission_denied');
  });

  it('answers malformed JSON, a wrong content type and an oversized body', async () => {
    const headers = { authorization: `Bearer ${test.adminKey}`, 'content-type': 'application/json' };
    const malformed = await test.server.app.inject({ method: 'POST', url: '/admin/v1/keys', headers, payload: '{"name": ' });
    expect(malformed.statusCode).toBe(400);
    expectOpenAiError(malformed.body, 'invalid_json');
    const wrongType = await test.server.app.inject({ method: 'POST', url: '/admin/v1/keys', headers: { ...headers, 'content-type': 'text/plain' }, payload: 'name=x' });
    expect(wrongType.statusCode).toBe(415);
    expectOpenAiError(wrongType.body, 'unsupported_media_type');
    const oversized = await test.server.app.inject({ method: 'POST', url: '/admin/v1/keys', headers, payload: JSON.stringify({ name: 'x'.repeat(2000) }) });
    expect(oversized.statusCode).toBe(413);
    expect(expectOpenAiError(oversized.body, 'request_too_large').message).toContain('1024 bytes');
    // An empty JSON body is no body: a route that needs one names what it needs.
    const empty = await test.server.app.inject({ method: 'POST', url: '/admin/v1/keys', headers });
    expect(empty.statusCode).toBe(400);
    expect(expectOpenAiError(empty.body, 'invalid_request').message).toContain('must be a JSON object');
    const notObject = await test.server.app.inject({ method: 'POST', url: '/admin/v1/keys', headers, payload: '[1,2]' });
    expect(notObject.statusCode).toBe(400);
    const badField = await test.server.app.inject({ method: 'POST', url: '/admin/v1/keys', headers, payload: '{"name":"x","role":"root"}' });
    expect(badField.statusCode).toBe(400);
    expect(JSON.parse(badField.body).error.param).toBe('role');
  });
});

describe.each(testDatabaseTargets())('admin keys API on $name', (target) => {
  let test: TestServer;
  beforeAll(async () => {
    test = await startTestServer(target);
  });
  afterAll(async () => test.close());

  it('creates a key shown once, lists it without the secret, and revokes it', async () => {
    const headers = { authorization: `Bearer ${test.adminKey}` };
    const created = await test.server.app.inject({ method: 'POST', url: '/admin/v1/keys', headers, payload: { name: 'analytics' } });
    expect(created.statusCode).toBe(201);
    const body = created.json<{ id: string; key: string; role: string }>();
    expect(body.key).toMatch(/^mm-/);
    expect(body.role).toBe('user');
    const works = await test.server.app.inject({ method: 'GET', url: '/v1/models', headers: { authorization: `Bearer ${body.key}` } });
    expect(works.json()).toEqual({ object: 'list', data: [] });
    const list = await test.server.app.inject({ method: 'GET', url: '/admin/v1/keys', headers });
    expect(list.body).not.toContain(body.key);
    expect(list.json<{ data: { id: string }[] }>().data.map((key) => key.id)).toContain(body.id);
    const revoked = await test.server.app.inject({ method: 'DELETE', url: `/admin/v1/keys/${body.id}`, headers });
    expect(revoked.json<{ revoked_at: string | null }>().revoked_at).not.toBeNull();
    const unknown = await test.server.app.inject({ method: 'DELETE', url: '/admin/v1/keys/key_missing', headers });
    expect(unknown.statusCode).toBe(404);
  });
});

describe('OpenAPI document', () => {
  it('describes every route with request bodies from the zod schemas', async () => {
    const test = await startTestServer(sqliteTarget);
    try {
      const response = await test.server.app.inject({ method: 'GET', url: '/openapi.json' });
      const document = response.json<{ openapi: string; paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown> } }> } }>> }>();
      expect(document.openapi).toBe('3.1.0');
      const chatBody = document.paths['/v1/chat/completions']?.post?.requestBody?.content['application/json']?.schema;
      expect(Object.keys(chatBody?.properties ?? {})).toEqual(expect.arrayContaining(['model', 'messages', 'tools', 'stream']));
      for (const path of ['/v1/responses', '/v1/embeddings', '/v1/completions', '/admin/v1/keys']) {
        expect(document.paths[path]?.post?.requestBody, path).toBeDefined();
      }
    } finally {
      await test.close();
    }
  });
});
