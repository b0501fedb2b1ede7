import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUpstreamStub, type UpstreamStub } from '../../../test/support/openai-upstream-stub.js';
import { testDatabaseTargets, type TestDatabaseTarget } from '../../../test/support/test-databases.js';
import { ApiKeyService, CredentialVault } from '../../accounts/index.js';
import { configSchema } from '../../config/index.js';
import { createLogger } from '../../core/index.js';
import { createProviderRegistry } from '../../providers/registry.js';
import { ResponsesService } from '../../responses/index.js';
import { createRouter, RouteAdministration } from '../../routing/index.js';
import type { Database } from '../../storage/index.js';
import { buildServer, type ModelmartServer } from '../index.js';

interface ErrorBody { error: { message: string; param: string | null; code: string | null } }

interface CredentialServer {
  readonly server: ModelmartServer;
  readonly database: Database;
  readonly adminKey: string;
  close(): Promise<void>;
}

/** The test server, wired like main.ts: the vault puts stored keys into the provider registry. */
async function startCredentialServer(target: TestDatabaseTarget, upstreamUrl: string, encryptionKey: string | undefined): Promise<CredentialServer> {
  const opened = await target.open();
  const config = configSchema.parse({
    storage: opened.options,
    providers: [
      { id: 'vendor', type: 'openai-compatible', baseUrl: upstreamUrl, apiKey: 'sk-from-config', models: ['model-a'] },
      { id: 'claude', type: 'anthropic', baseUrl: upstreamUrl, models: ['claude-x'] },
    ],
    security: encryptionKey === undefined ? {} : { encryptionKey },
  });
  const logger = createLogger('silent');
  const apiKeys = new ApiKeyService(opened.database);
  await apiKeys.initialise();
  const admin = await apiKeys.createKey({ name: 'credential admin', role: 'admin' });
  const providers = createProviderRegistry(config.providers, { dataDir: opened.options.dataDir, logger });
  const credentials = new CredentialVault({ database: opened.database, security: config.security, providers: config.providers, apply: (id, key) => providers.overrideApiKey(id, key), logger });
  await credentials.start();
  const router = createRouter({ config, getAdapter: (providerId) => providers.get(providerId) });
  const routeAdministration = new RouteAdministration({ database: opened.database, fileRoutes: config.routes, apply: (routes) => router.replaceStoredRoutes(routes) });
  await routeAdministration.start();
  const server = buildServer({ config, database: opened.database, apiKeys, router, routeAdministration, responses: new ResponsesService(opened.database), logger, credentials });
  await server.app.ready();
  return {
    server,
    database: opened.database,
    adminKey: admin.key,
    async close() {
      credentials.stop();
      routeAdministration.stop();
      await server.app.close();
      await providers.close();
      await opened.dispose();
    },
  };
}

describe.each(testDatabaseTargets())('provider credential API on $name', (target) => {
  let upstream: UpstreamStub;
  let test: CredentialServer;
  const secret = 'sk-stored-upstream-secret-4242';
  const admin = () => ({ authorization: `Bearer ${test.adminKey}` });
  const credential = (method: 'GET' | 'PUT' | 'DELETE', provider: string, payload?: unknown) =>
    test.server.app.inject({ method, url: `/admin/v1/providers/${provider}/credential`, headers: admin(), ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
  const chatSendsKey = async (): Promise<string | undefined> => {
    const answer = await test.server.app.inject({ method: 'POST', url: '/v1/chat/completions', headers: admin(), payload: { model: 'vendor/model-a', messages: [{ role: 'user', content: 'hi' }] } });
    expect(answer.statusCode).toBe(200);
    return upstream.received[upstream.received.length - 1]?.headers.authorization;
  };

  beforeAll(async () => {
    upstream = await startUpstreamStub();
    test = await startCredentialServer(target, upstream.baseUrl, randomBytes(32).toString('base64'));
  });
  afterAll(async () => {
    await test.close();
    await upstream.close();
  });

  it('stores a key that the adapter sends upstream at once, and never shows it', async () => {
    expect(await chatSendsKey()).toBe('Bearer sk-from-config');
    expect((await credential('GET', 'vendor')).json()).toMatchObject({ provider: 'vendor', configured: false, key_id: null });

    const stored = await credential('PUT', 'vendor', { api_key: secret });
    expect(stored.statusCode).toBe(200);
    expect(stored.json()).toMatchObject({ object: 'provider_credential', provider: 'vendor', configured: true, key_id: expect.stringMatching(/^[0-9a-f]{8}$/), updated_by: expect.stringMatching(/^key_/) });
    expect(stored.body).not.toContain(secret);
    expect(await chatSendsKey()).toBe(`Bearer ${secret}`);

    const shown = await credential('GET', 'vendor');
    expect(shown.json()).toEqual({ object: 'provider_credential', provider: 'vendor', configured: true, updated_at: expect.any(String), updated_by: expect.any(String), key_id: expect.any(String) });
    expect(shown.body).not.toContain(secret);

    const rows = await test.database.kysely.selectFrom('provider_credentials').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(secret);
  });

  it('replaces and deletes a key: the provider goes back to its configured key; every change is audited without the secret', async () => {
    expect((await credential('PUT', 'vendor', { api_key: 'sk-second-secret-77' })).statusCode).toBe(200);
    expect(await chatSendsKey()).toBe('Bearer sk-second-secret-77');
    const deleted = await credential('DELETE', 'vendor');
    expect(deleted.json()).toEqual({ object: 'provider_credential', provider: 'vendor', configured: false, deleted: true });
    expect(await chatSendsKey()).toBe('Bearer sk-from-config');
    expect((await credential('DELETE', 'vendor')).statusCode).toBe(404);

    const log = await test.server.app.inject({ method: 'GET', url: '/admin/v1/audit-log?target_type=provider_credential', headers: admin() });
    expect(log.json<{ data: { action: string }[] }>().data.map((entry) => entry.action)).toEqual(['provider.credential.delete', 'provider.credential.update', 'provider.credential.create']);
    expect(log.body).not.toContain(secret);
    expect(log.body).not.toContain('sk-second-secret-77');
    const rows = await test.database.kysely.selectFrom('audit_log').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(secret);
  });

  it('stores a key for an Anthropic provider that had none, sent as x-api-key', async () => {
    expect((await credential('PUT', 'claude', { api_key: 'sk-ant-stored' })).statusCode).toBe(200);
    await test.server.app.inject({ method: 'POST', url: '/v1/chat/completions', headers: admin(), payload: { model: 'claude/claude-x', messages: [{ role: 'user', content: 'hi' }] } });
    expect(upstream.received[upstream.received.length - 1]?.headers['x-api-key']).toBe('sk-ant-stored');
  });

  it('answers 404 for an unknown provider and 400 for an empty, missing or extra field', async () => {
    const unknown = await credential('PUT', 'nobody', { api_key: 'sk-x' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json<ErrorBody>().error.code).toBe('provider_not_found');
    expect((await credential('GET', 'nobody')).statusCode).toBe(404);
    const empty = await credential('PUT', 'vendor', { api_key: '  ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json<ErrorBody>().error.param).toBe('api_key');
    expect((await credential('PUT', 'vendor', {})).json<ErrorBody>().error.param).toBe('api_key');
    expect((await credential('PUT', 'vendor', { api_key: 'sk-x', apiKey: 'sk-y' })).statusCode).toBe(400);
  });
});

describe.each(testDatabaseTargets())('provider credential API without an encryption key on $name', (target) => {
  let test: CredentialServer;
  beforeAll(async () => {
    test = await startCredentialServer(target, 'http://127.0.0.1:9/v1', undefined);
  });
  afterAll(async () => test.close());

  it('refuses to store a key and says which variable to set', async () => {
    const refused = await test.server.app.inject({ method: 'PUT', url: '/admin/v1/providers/vendor/credential', headers: { authorization: `Bearer ${test.adminKey}` }, payload: { api_key: 'sk-x' } });
    expect(refused.statusCode).toBe(409);
    expect(refused.json<ErrorBody>().error).toMatchObject({ code: 'encryption_key_not_configured', message: expect.stringContaining('MODELMART_ENCRYPTION_KEY') });
  });
});
