import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseTargets } from '../../../test/support/test-databases.js';
import { ApiKeyService, AuditLog, type Principal } from '../../accounts/index.js';
import { configSchema } from '../../config/index.js';
import { notFound, permissionDenied } from '../../core/index.js';
import { startLocalActionApi, startLocalMcpServer, thingsOpenApiDocument, type LocalActionApi, type LocalMcpServer } from '../../gpts/actions/__fixtures__/local-action-servers.js';
import { GptActionService, GptActionToolbox, SafeHttpClient } from '../../gpts/index.js';
import { installErrorHandling } from '../error-handler.js';
import { createAuthenticationHook } from '../middleware/authentication.js';
import { decorateAuditLog } from './admin-audit-recording.js';
import { registerStoreGptActionRoutes } from './store-gpt-action-routes.js';

interface ErrorBody {
  error: { message: string; param: string | null; code: string | null };
}

describe.each(testDatabaseTargets())('/store/v1/gpts/{gpt}/actions on $name', (target) => {
  let api: LocalActionApi;
  let mcp: LocalMcpServer;
  let app: FastifyInstance;
  let dispose: () => Promise<void>;
  let builderKey: string;
  let strangerKey: string;
  let builderKeyId: string;
  let auditLog: AuditLog;
  const secret = 'sk-action-secret-route-7777';

  beforeAll(async () => {
    api = await startLocalActionApi();
    mcp = await startLocalMcpServer();
    const opened = await target.open();
    dispose = opened.dispose;
    const config = configSchema.parse({ security: { encryptionKey: randomBytes(32).toString('base64') }, gpts: { outbound: { allowList: [`127.0.0.1:${api.port}`, `127.0.0.1:${mcp.port}`] } } });
    const apiKeys = new ApiKeyService(opened.database);
    await apiKeys.initialise();
    const builder = await apiKeys.createKey({ name: 'builder', role: 'user' });
    const stranger = await apiKeys.createKey({ name: 'stranger', role: 'user' });
    builderKey = builder.key;
    strangerKey = stranger.key;
    builderKeyId = builder.record.id;
    const httpClient = new SafeHttpClient(config.gpts.outbound);
    const toolbox = new GptActionToolbox({ database: opened.database, config, httpClient });
    const actions = new GptActionService({ store: toolbox.store, executor: toolbox.executor, httpClient, config });
    // The definitions' GptService provides this in the server: only the builder's key edits "weather".
    const requireEditable = async (reference: string, principal: Principal) => {
      if (reference !== 'weather' && reference !== 'gpt_weather') throw notFound(`No GPT ${JSON.stringify(reference)}.`, 'gpt_not_found');
      if (principal.keyId !== builderKeyId) throw permissionDenied('Only its creator may edit this GPT.');
      return { id: 'gpt_weather', organisation_id: 'org_weather' };
    };
    app = Fastify();
    installErrorHandling(app, 1024 * 1024);
    auditLog = new AuditLog(opened.database);
    decorateAuditLog(app, auditLog);
    await app.register(async (scope) => {
      scope.addHook('onRequest', createAuthenticationHook(apiKeys, { adminOnly: false }));
      registerStoreGptActionRoutes(scope, { actions, requireEditable });
    });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await dispose();
    await api.close();
    await mcp.close();
  });

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, key = builderKey) =>
    app.inject({ method, url, headers: { authorization: `Bearer ${key}` }, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });

  it('creates, lists, reads, changes, tests and deletes an OpenAPI action, never answering with its secret', async () => {
    const created = await call('POST', '/store/v1/gpts/weather/actions', { kind: 'openapi', document: JSON.stringify(thingsOpenApiDocument(api.origin)), auth: { type: 'api_key', in: 'header', name: 'X-Api-Key', secret } });
    expect(created.statusCode).toBe(201);
    const action = created.json<{ id: string; tools: { name: string }[]; auth: unknown; has_secret: boolean }>();
    expect(action.tools.map((tool) => tool.name)).toEqual(['getThing', 'createThing', 'slow', 'broken', 'big']);
    expect(action.auth).toEqual({ type: 'api_key', in: 'header', name: 'X-Api-Key' });
    expect(action.has_secret).toBe(true);

    const listed = await call('GET', '/store/v1/gpts/weather/actions');
    expect(listed.json<{ data: { id: string }[] }>().data.map((item) => item.id)).toEqual([action.id]);
    const read = await call('GET', `/store/v1/gpts/weather/actions/${action.id}`);
    expect(read.statusCode).toBe(200);

    const tested = await call('POST', `/store/v1/gpts/weather/actions/${action.id}/test`, { tool: 'getThing', arguments: { id: 5 } });
    expect(tested.statusCode).toBe(200);
    expect(tested.json()).toMatchObject({ ok: true });
    expect(api.seen.at(-1)?.headers['x-api-key']).toBe(secret);
    const badArguments = await call('POST', `/store/v1/gpts/weather/actions/${action.id}/test`, { tool: 'getThing', arguments: '{"id":"five"}' });
    expect(badArguments.json()).toMatchObject({ ok: false, error: { code: 'invalid_arguments' } });

    const patched = await call('PATCH', `/store/v1/gpts/weather/actions/${action.id}`, { auth: { type: 'bearer', secret: 'rotated-secret' }, name: 'Things' });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ name: 'Things', auth: { type: 'bearer' }, has_secret: true });
    await call('POST', `/store/v1/gpts/weather/actions/${action.id}/test`, { tool: 'getThing', arguments: { id: 5 } });
    expect(api.seen.at(-1)?.headers.authorization).toBe('Bearer rotated-secret');

    for (const response of [created, listed, read, tested, patched]) {
      expect(response.body).not.toContain(secret);
      expect(response.body).not.toContain('rotated-secret');
    }
    const deleted = await call('DELETE', `/store/v1/gpts/weather/actions/${action.id}`);
    expect(deleted.json()).toEqual({ object: 'gpt.action.deleted', id: action.id, deleted: true });
    const audit = await auditLog.list({ organisationId: 'org_weather' });
    const entries = audit.data.filter((entry) => entry.target_id === action.id);
    expect(entries.map((entry) => entry.action).sort()).toEqual(['gpt.action.create', 'gpt.action.delete', 'gpt.action.update']);
    expect(JSON.stringify(entries)).not.toContain(secret);
    expect(JSON.stringify(entries)).not.toContain('rotated-secret');
    expect((await call('GET', `/store/v1/gpts/weather/actions/${action.id}`)).json<ErrorBody>().error.code).toBe('action_not_found');
  });

  it('adds an MCP server with the tools it lists', async () => {
    const created = await call('POST', '/store/v1/gpts/weather/actions', { kind: 'mcp', url: mcp.url });
    expect(created.statusCode).toBe(201);
    const action = created.json<{ id: string; kind: string; base_url: string; tools: { name: string }[] }>();
    expect(action).toMatchObject({ kind: 'mcp', base_url: mcp.url });
    expect(action.tools.map((tool) => tool.name)).toEqual(['add', 'explode', 'dawdle']);
    const tested = await call('POST', `/store/v1/gpts/weather/actions/${action.id}/test`, { tool: 'add', arguments: '{"a":1,"b":2}' });
    expect(tested.json()).toMatchObject({ ok: true, content: '3' });
  });

  it('answers bad input with clear OpenAI-shaped errors', async () => {
    const invalid = await call('POST', '/store/v1/gpts/weather/actions', { kind: 'openapi', document: { openapi: '3.0.0', info: { title: 'x' }, paths: { '/a': { get: { requestBody: { $ref: '#/components/requestBodies/Missing' } } } } } });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json<ErrorBody>().error).toMatchObject({ code: 'invalid_openapi', param: '$.paths["/a"].get.requestBody.$ref' });
    const refused = await call('POST', '/store/v1/gpts/weather/actions', { kind: 'mcp', url: 'http://169.254.169.254/mcp' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json<ErrorBody>().error.code).toBe('destination_not_allowed');
    const badAuth = await call('POST', '/store/v1/gpts/weather/actions', { kind: 'mcp', url: mcp.url, auth: { type: 'api_key', in: 'cookie', name: 'x' } });
    expect(badAuth.statusCode).toBe(400);
    const stranger = await call('GET', '/store/v1/gpts/weather/actions', undefined, strangerKey);
    expect(stranger.statusCode).toBe(403);
    const missing = await call('GET', '/store/v1/gpts/nobody/actions');
    expect(missing.statusCode).toBe(404);
    const anonymous = await app.inject({ method: 'GET', url: '/store/v1/gpts/weather/actions' });
    expect(anonymous.statusCode).toBe(401);
  });
});
