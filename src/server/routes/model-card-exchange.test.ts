import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseTargets } from '../../../test/support/test-databases.js';
import { startTestServer, type TestServer } from '../../../test/support/test-server.js';

interface ErrorBody { error: { message: string; param: string | null; code: string | null } }

describe.each(testDatabaseTargets())('card export and import on $name', (target) => {
  let test: TestServer;
  const importCard = (payload: Record<string, unknown>) => test.server.app.inject({ method: 'POST', url: '/admin/v1/models/import', headers: { authorization: `Bearer ${test.adminKey}` }, payload });

  beforeAll(async () => {
    test = await startTestServer(target);
  });
  afterAll(async () => {
    await test.close();
  });

  it('exports JSON with every price version and imports it back under a new id', async () => {
    const exported = await test.server.app.inject({ method: 'GET', url: '/store/v1/models/gpt-3.5-turbo/export' });
    expect(exported.statusCode).toBe(200);
    const card = exported.json<{ prices: unknown[] }>();
    expect(card.prices).toHaveLength(3);
    const imported = await importCard({ format: 'json', card: { ...card, id: 'gpt-3.5-turbo-copy' } });
    expect(imported.statusCode).toBe(201);
    expect(imported.json<{ price_history: unknown[] }>().price_history).toHaveLength(3);
  });

  it('exports Hugging Face model-card YAML and reads it back with its results', async () => {
    const exported = await test.server.app.inject({ method: 'GET', url: '/store/v1/models/grok-1/export?format=huggingface' });
    expect(exported.headers['content-type']).toContain('text/markdown');
    expect(exported.body).toMatch(/^---\nlicense: apache-2.0\n/);
    expect(exported.body).toContain('model-index:');
    const imported = await importCard({
      format: 'huggingface',
      content: exported.body,
      id: 'grok-1-copy',
      vendor: 'xAI',
      release_date: '2024-03-17',
      results_published_at: '2023-11-03',
      capability: { context_window: 8192, input_modalities: ['text'], output_modalities: ['text'] },
    });
    expect(imported.statusCode).toBe(201);
    expect(imported.json()).toMatchObject({ name: 'Grok-1', license: { id: 'Apache-2.0' } });
    expect(imported.json<{ benchmarks: { benchmark: string; score: number }[] }>().benchmarks.find((result) => result.benchmark === 'gsm8k')?.score).toBe(62.9);
  });

  it('carries a derivative\'s base_model through Hugging Face YAML and JSON, one name or a list', async () => {
    const exported = await test.server.app.inject({ method: 'GET', url: '/store/v1/models/grok-1/export' });
    const { prices: _prices, ...grok } = exported.json<Record<string, unknown> & { prices: unknown[] }>();
    const capability = { context_window: 8192, input_modalities: ['text'], output_modalities: ['text'] };
    for (const [id, baseModel] of [['grok-1-tuned', 'xai-org/grok-1'], ['grok-1-merge', ['xai-org/grok-1', 'grok-0']]] as const) {
      const created = await test.server.app.inject({ method: 'POST', url: '/admin/v1/models', headers: { authorization: `Bearer ${test.adminKey}` }, payload: { ...grok, id, base_model: baseModel } });
      expect(created.statusCode).toBe(201);
      const yaml = await test.server.app.inject({ method: 'GET', url: `/store/v1/models/${id}/export?format=huggingface` });
      expect(yaml.body).toContain('base_model:');
      const fromYaml = await importCard({ format: 'huggingface', content: yaml.body, id: `${id}-from-yaml`, vendor: 'xAI', release_date: '2024-03-17', capability });
      expect(fromYaml.statusCode).toBe(201);
      expect(fromYaml.json<{ base_model: unknown }>().base_model).toEqual(baseModel);
      const json = await test.server.app.inject({ method: 'GET', url: `/store/v1/models/${id}/export` });
      expect(json.json<{ base_model: unknown }>().base_model).toEqual(baseModel);
    }
    const bad = await test.server.app.inject({ method: 'POST', url: '/admin/v1/models', headers: { authorization: `Bearer ${test.adminKey}` }, payload: { ...grok, id: 'grok-1-bad', base_model: 'not a name' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<ErrorBody>().error.param).toBe('base_model');
  });

  it('refuses an import that is not the format it claims', async () => {
    const notYaml = await importCard({ format: 'huggingface', content: '{"license":"mit"}', id: 'x', vendor: 'v', release_date: '2024-01-01', capability: { context_window: 1, input_modalities: ['text'], output_modalities: ['text'] } });
    expect(notYaml.statusCode).toBe(400);
    expect(notYaml.json<ErrorBody>().error).toMatchObject({ code: 'invalid_import', param: 'content' });
    const notCard = await importCard({ format: 'json', card: { license: 'mit' } });
    expect(notCard.statusCode).toBe(400);
    expect(notCard.json<ErrorBody>().error.param).toMatch(/^card\./);
    const unknownFormat = await importCard({ format: 'onnx', content: 'x' });
    expect(unknownFormat.json<ErrorBody>().error.param).toBe('format');
    expect((await test.server.app.inject({ method: 'GET', url: '/store/v1/models/grok-1/export?format=pdf' })).statusCode).toBe(400);
  });
});
