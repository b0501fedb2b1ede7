import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUpstreamStub, type UpstreamStub } from '../../../test/support/openai-upstream-stub.js';
import { testDatabaseTargets } from '../../../test/support/test-databases.js';
import { startTestServer, type TestServer } from '../../../test/support/test-server.js';
import type { ConfigInput } from '../../config/index.js';

interface ErrorBody { error: { message: string; type: string; param: string | null; code: string | null } }

const nonCommercialCard = {
  id: 'research-7b',
  name: 'Research 7B',
  vendor: 'Example Lab',
  release_date: '2024-01-02',
  description: 'Weights under a non-commercial licence.',
  capability: { context_window: 4096, input_modalities: ['text'], output_modalities: ['text'] },
  openness: { final_parameters: { public: true, license: 'CC-BY-NC-4.0' } },
  license: { id: 'CC-BY-NC-4.0' },
  deployments: [{ kind: 'private', provider: 'vendor', model: 'model-b' }],
};
const attributedCard = { ...nonCommercialCard, id: 'llama-3.1-8b', name: 'Llama 3.1 8B', license: { id: 'LicenseRef-llama-3.1' }, deployments: [{ kind: 'private', route: 'llama-route' }] };

describe.each(testDatabaseTargets())('licence policy at the gateway on $name', (target) => {
  let upstream: UpstreamStub;
  const servers: TestServer[] = [];
  const start = async (organisation: NonNullable<NonNullable<ConfigInput['licensePolicy']>['organisation']>): Promise<TestServer> => {
    const server = await startTestServer(target, {
      providers: [{ id: 'vendor', type: 'openai-compatible', baseUrl: upstream.baseUrl, models: ['model-a', 'model-b'] }],
      routes: [
        { model: 'llama-2-70b', targets: [{ provider: 'vendor', model: 'model-a' }] },
        { model: 'qwen-72b', targets: [{ provider: 'vendor', model: 'model-a' }] },
        { model: 'llama-route', targets: [{ provider: 'vendor', model: 'model-a' }] },
      ],
      licensePolicy: { organisation },
    });
    servers.push(server);
    for (const card of [nonCommercialCard, attributedCard]) {
      await server.server.app.inject({ method: 'POST', url: '/admin/v1/models', headers: { authorization: `Bearer ${server.adminKey}` }, payload: card });
    }
    return server;
  };
  const chat = (server: TestServer, model: string) =>
    server.server.app.inject({ method: 'POST', url: '/v1/chat/completions', headers: { authorization: `Bearer ${server.userKey}` }, payload: { model, messages: [{ role: 'user', content: 'hi' }] } });

  beforeAll(async () => {
    upstream = await startUpstreamStub();
  });
  afterAll(async () => {
    for (const server of servers) await server.close();
    await upstream.close();
  });

  it('refuses Llama 2 above 700 million monthly active users and Qwen above 100 million, quoting the clause', async () => {
    const large = await start({ use: 'commercial', monthlyActiveUsers: 'over-700m' });
    const llama = await chat(large, 'llama-2-70b');
    expect(llama.statusCode).toBe(403);
    expect(llama.json<ErrorBody>().error).toMatchObject({ code: 'license_not_permitted', type: 'permission_error', param: 'model' });
    expect(llama.json<ErrorBody>().error.message).toContain('700 million monthly active users');

    const medium = await start({ use: 'commercial', monthlyActiveUsers: 'up-to-700m' });
    expect((await chat(medium, 'llama-2-70b')).statusCode).toBe(200);
    const qwen = await chat(medium, 'qwen-72b');
    expect(qwen.statusCode).toBe(403);
    expect(qwen.json<ErrorBody>().error.message).toContain('100 million');
  });

  it('refuses commercial use of a non-commercial model, allows research use, and carries attribution', async () => {
    const company = await start({ use: 'commercial', monthlyActiveUsers: 'up-to-1m' });
    const refused = await chat(company, 'vendor/model-b');
    expect(refused.statusCode).toBe(403);
    expect(refused.json<ErrorBody>().error.message).toContain('does not permit commercial use');
    const attributed = await chat(company, 'llama-route');
    expect(attributed.statusCode).toBe(200);
    expect(attributed.headers['x-license-attribution']).toBe('Built with Llama');
    expect((await chat(company, 'vendor/model-a')).statusCode).toBe(200);

    const laboratory = await start({ use: 'research' });
    expect((await chat(laboratory, 'vendor/model-b')).statusCode).toBe(200);
  });

  it('lists in /v1/models only the models whose licence the organisation may use', async () => {
    const listed = async (server: TestServer) => {
      const response = await server.server.app.inject({ method: 'GET', url: '/v1/models', headers: { authorization: `Bearer ${server.userKey}` } });
      expect(response.statusCode).toBe(200);
      return response.json<{ data: { id: string }[] }>().data.map((model) => model.id);
    };
    const show = (server: TestServer, id: string) => server.server.app.inject({ method: 'GET', url: `/v1/models/${id}`, headers: { authorization: `Bearer ${server.userKey}` } });

    const large = await start({ use: 'commercial', monthlyActiveUsers: 'over-700m' });
    const forLarge = await listed(large);
    // Llama 2's and Llama 3.1's 700 million clauses, Qwen's 100 million and the non-commercial card refuse it; the model no card names stays.
    expect(forLarge).toEqual(['vendor/model-a']);
    expect((await show(large, 'vendor/model-b')).statusCode).toBe(404);
    expect((await show(large, 'vendor/model-a')).statusCode).toBe(200);

    const laboratory = await start({ use: 'research' });
    expect(await listed(laboratory)).toEqual(expect.arrayContaining(['llama-2-70b', 'qwen-72b', 'vendor/model-a', 'vendor/model-b', 'llama-route']));
  });

  it('warns about a deprecated model until its sunset date, then answers 410 naming the replacement', async () => {
    const server = await start({ use: 'research' });
    const deprecate = (id: string, sunset: string) =>
      server.server.app.inject({ method: 'POST', url: `/admin/v1/models/${id}/deprecate`, headers: { authorization: `Bearer ${server.adminKey}` }, payload: { sunset_date: sunset, replacement: 'gpt-4-turbo' } });
    expect((await deprecate('llama-2-70b', '2999-12-31')).statusCode).toBe(200);
    const warned = await chat(server, 'llama-2-70b');
    expect(warned.statusCode).toBe(200);
    expect(warned.headers.deprecation).toBe('true');
    expect(warned.headers.sunset).toBe('Tue, 31 Dec 2999 23:59:59 GMT');
    expect(warned.headers['x-modelmart-deprecation']).toContain('gpt-4-turbo');
    await deprecate('qwen-72b', '2020-01-01');
    const retired = await chat(server, 'qwen-72b');
    expect(retired.statusCode).toBe(410);
    expect(retired.json<ErrorBody>().error).toMatchObject({ code: 'model_retired', param: 'model' });
    expect(retired.json<ErrorBody>().error.message).toContain("Use 'gpt-4-turbo' instead");
    const models = await server.server.app.inject({ method: 'GET', url: '/v1/models', headers: { authorization: `Bearer ${server.userKey}` } });
    const ids = models.json<{ data: { id: string }[] }>().data.map((model) => model.id);
    // A retired model is no longer offered; a deprecated one still is, until its sunset.
    expect(ids).not.toContain('qwen-72b');
    expect(ids).toContain('llama-2-70b');
  });
});
