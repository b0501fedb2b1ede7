import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteTarget } from '../../../test/support/test-databases.js';
import { startTestServer, type TestServer } from '../../../test/support/test-server.js';
import { configSchema } from '../../config/index.js';
import type { TargetHealthSnapshot } from '../../routing/index.js';
import { publicBaseUrl, registerAdminProviderRoutes } from './admin-provider-routes.js';

function snapshot(providerId: string, upstreamModel: string): TargetHealthSnapshot {
  return { target: `${providerId}/${upstreamModel}`, providerId, upstreamModel, state: 'closed', consecutiveFailures: 0, successCount: 0, failureCount: 0, latencyP50Milliseconds: null, lastFailure: null };
}

describe('GET /admin/v1/providers', () => {
  const router = { healthSnapshot: () => [snapshot('vendor', 'model-a'), snapshot('vendor', 'model-b'), snapshot('local', 'tiny')] };

  it('lists configured providers with type, base URL and models, and never their credentials', async () => {
    const { providers } = configSchema.parse({
      providers: [
        { id: 'vendor', type: 'openai-compatible', baseUrl: 'https://user:secret@api.example.com/v1?key=secret-query', apiKey: 'sk-secret-key', headers: { 'x-api-key': 'secret-header' }, models: ['model-a', { name: 'model-b', upstreamName: 'b-2024', contextWindow: 8192 }] },
        { id: 'local', type: 'llama-cpp', models: [{ name: 'tiny', file: '/models/secret-path.gguf' }] },
      ],
    });
    const app = Fastify();
    registerAdminProviderRoutes(app, router, providers);
    const response = await app.inject({ method: 'GET', url: '/admin/v1/providers' });
    expect(response.statusCode).toBe(200);
    expect(response.body).not.toContain('secret');
    expect(response.json()).toEqual({
      object: 'list',
      data: [
        {
          object: 'provider',
          id: 'vendor',
          type: 'openai-compatible',
          preset: null,
          base_url: 'https://api.example.com/v1',
          models: [
            { name: 'model-a', upstream_name: null, context_window: null, max_output_tokens: null, embedding: false },
            { name: 'model-b', upstream_name: 'b-2024', context_window: 8192, max_output_tokens: null, embedding: false },
          ],
        },
        { object: 'provider', id: 'local', type: 'llama-cpp', preset: null, base_url: null, models: [{ name: 'tiny', upstream_name: null, context_window: null, max_output_tokens: null, embedding: false }] },
      ],
    });
    await app.close();
  });

  it('falls back to the providers and models of the routing table when not given the configuration', async () => {
    const app = Fastify();
    registerAdminProviderRoutes(app, router);
    const listed = (await app.inject({ method: 'GET', url: '/admin/v1/providers' })).json<{ data: { id: string; type: string | null; models: { name: string }[] }[] }>().data;
    expect(listed.map((provider) => [provider.id, provider.type, provider.models.map((model) => model.name)])).toEqual([
      ['vendor', null, ['model-a', 'model-b']],
      ['local', null, ['tiny']],
    ]);
    await app.close();
  });

  it('keeps only the origin and path of a base URL', () => {
    expect(publicBaseUrl('http://127.0.0.1:8080/v1#part')).toBe('http://127.0.0.1:8080/v1');
    expect(publicBaseUrl(undefined)).toBeNull();
    expect(publicBaseUrl('not a url')).toBeNull();
  });
});

describe('provider routes on a server', () => {
  let test: TestServer;
  beforeAll(async () => {
    test = await startTestServer(sqliteTarget, { providers: [{ id: 'vendor', type: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1', models: ['model-a'] }] });
  });
  afterAll(async () => {
    await test.close();
  });

  it('answers installation admins and refuses other keys with 403', async () => {
    const admin = await test.server.app.inject({ method: 'GET', url: '/admin/v1/providers', headers: { authorization: `Bearer ${test.adminKey}` } });
    expect(admin.statusCode).toBe(200);
    expect(admin.json<{ data: { id: string }[] }>().data.map((provider) => provider.id)).toEqual(['vendor']);
    const user = await test.server.app.inject({ method: 'GET', url: '/admin/v1/providers', headers: { authorization: `Bearer ${test.userKey}` } });
    expect(user.statusCode).toBe(403);
  });
});
