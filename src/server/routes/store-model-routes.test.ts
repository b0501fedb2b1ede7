import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseTargets } from '../../../test/support/test-databases.js';
import { startTestServer, type TestServer } from '../../../test/support/test-server.js';

interface ListBody { data: { id: string; mof_class: string | null; open_weights: boolean }[]; has_more: boolean; next_cursor: string | null }
interface ErrorBody { error: { message: string; type: string; param: string | null; code: string | null } }
interface ComparisonBody { models: { id: string }[]; benchmarks: { benchmark: string; scores: Record<string, { score: number; setting: Record<string, unknown> } | null> }[] }

const grokTable: Record<string, (number | null)[]> = {
  gsm8k: [56.8, 56.8, 62.9, 57.1, 62.9, 80.7, 88.0, 92.0],
  mmlu: [65.7, 68.9, 72.7, 70.0, 73.0, 78.0, 75.0, 86.4],
  humaneval: [39.7, 29.9, 35.4, 48.1, 63.2, null, 70, 67],
  math: [15.7, 13.5, 16.0, 23.5, 23.9, 34.6, null, 42.5],
};
const grokColumns = ['grok-0', 'llama-2-70b', 'inflection-1', 'gpt-3.5-turbo', 'grok-1', 'palm-2', 'claude-2', 'gpt-4'];

describe.each(testDatabaseTargets())('store API on $name', (target) => {
  let test: TestServer;
  const get = (url: string) => test.server.app.inject({ method: 'GET', url });

  beforeAll(async () => {
    test = await startTestServer(target);
  });
  afterAll(async () => {
    await test.close();
  });

  it('lists the seeded catalogue without a key, in cursor pages', async () => {
    const first = await get('/store/v1/models?limit=10');
    expect(first.statusCode).toBe(200);
    const page = first.json<ListBody>();
    expect(page.data).toHaveLength(10);
    expect(page.has_more).toBe(true);
    const rest = (await get(`/store/v1/models?limit=10&cursor=${page.next_cursor ?? ''}`)).json<ListBody>();
    expect(rest.data).toHaveLength(8);
    expect(rest.has_more).toBe(false);
    expect(new Set([...page.data, ...rest.data].map((model) => model.id)).size).toBe(18);
  });

  it('answers "open weights, commercial use allowed, context at least 4k, sorted by GSM8K"', async () => {
    const response = await get('/store/v1/models?open_weights=true&commercial_use=yes&min_context=4096&sort=benchmark:gsm8k');
    expect(response.json<ListBody>().data.map((model) => model.id)).toEqual(['grok-1', 'deepseek-llm-67b']);
    const llama = await get('/store/v1/models?open_weights=true&commercial_use=conditional&min_score=gsm8k:50');
    expect(llama.json<ListBody>().data.map((model) => model.id)).toEqual(['llama-2-70b']);
    // `allowed` takes licences that permit commercial use outright or under conditions (user thresholds).
    const allowed = await get('/store/v1/models?open_weights=true&commercial_use=allowed&min_context=4096&sort=benchmark:gsm8k');
    expect(allowed.json<ListBody>().data.map((model) => model.id).slice(0, 2)).toEqual(['grok-1', 'llama-2-70b']);
    const longContext = await get('/store/v1/models?open_weights=true&commercial_use=allowed&min_context=32000');
    expect(longContext.json<ListBody>().data.map((model) => model.id)).toContain('qwen-72b');
    const closedChinese = await get('/store/v1/models?q=huawei&mof_class=none&open_weights=false');
    expect(closedChinese.json<ListBody>().data.map((model) => model.id)).toEqual(['pangu-3']);
    const cheap = await get('/store/v1/models?max_input_price=2&currency=USD&sort=price');
    expect(cheap.json<ListBody>().data.map((model) => model.id)).toEqual(['gpt-3.5-turbo']);
  });

  it('refuses an unknown filter, a bad value and an unknown benchmark, naming each', async () => {
    const unknown = await get('/store/v1/models?colour=blue');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json<ErrorBody>().error).toMatchObject({ param: 'colour', code: 'unknown_filter', type: 'invalid_request_error' });
    const badModality = await get('/store/v1/models?modality=txt');
    expect(badModality.json<ErrorBody>().error).toMatchObject({ param: 'modality', code: 'invalid_filter' });
    const benchmark = await get('/store/v1/models?min_score=hellaswag:80');
    expect(benchmark.statusCode).toBe(400);
    expect(benchmark.json<ErrorBody>().error).toMatchObject({ param: 'min_score', code: 'unknown_benchmark' });
    expect((await get('/store/v1/models?cursor=nonsense')).json<ErrorBody>().error.code).toBe('invalid_cursor');
  });

  it('shows one card with its price history, and 404 for an unknown one', async () => {
    const card = await get('/store/v1/models/gpt-3.5-turbo');
    expect(card.statusCode).toBe(200);
    expect(card.json<{ price_history: unknown[]; license: { terms: { commercial_use: string } } }>()).toMatchObject({ price_history: [{}, {}, {}], license: { terms: { commercial_use: 'yes' } } });
    const missing = await get('/store/v1/models/gpt-9');
    expect(missing.statusCode).toBe(404);
    expect(missing.json<ErrorBody>().error.code).toBe('model_not_found');
  });

  it('reproduces the Grok-1 announcement table for its eight models', async () => {
    const response = await get(`/store/v1/compare?ids=${grokColumns.join(',')}`);
    expect(response.statusCode).toBe(200);
    const comparison = response.json<ComparisonBody>();
    expect(comparison.models.map((model) => model.id)).toEqual(grokColumns);
    for (const [benchmark, expected] of Object.entries(grokTable)) {
      const row = comparison.benchmarks.find((entry) => entry.benchmark === benchmark);
      expect(grokColumns.map((id) => row?.scores[id]?.score ?? null), benchmark).toEqual(expected);
    }
    expect(comparison.benchmarks.find((entry) => entry.benchmark === 'mmlu')?.scores['claude-2']?.setting).toEqual({ shots: 5, chain_of_thought: true });
    const unknown = await get('/store/v1/compare?ids=gpt-4,gpt-9');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json<ErrorBody>().error.message).toContain('gpt-9');
    expect((await get('/store/v1/compare')).statusCode).toBe(400);
  });

  it('is described in the OpenAPI document, card bodies from the card schema', async () => {
    const document = (await get('/openapi.json')).json<{ paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown> } }> } }>> }>();
    for (const path of ['/store/v1/models', '/store/v1/models/{id}', '/store/v1/compare']) expect(document.paths[path]?.get, path).toBeDefined();
    const card = document.paths['/admin/v1/models']?.post?.requestBody?.content['application/json']?.schema;
    expect(Object.keys(card?.properties ?? {})).toEqual(expect.arrayContaining(['id', 'capability', 'openness', 'license', 'prices']));
  });
});

describe.each(testDatabaseTargets())('private store on $name', (target) => {
  let test: TestServer;
  beforeAll(async () => {
    test = await startTestServer(target, { store: { private: true } });
  });
  afterAll(async () => {
    await test.close();
  });

  it('answers only callers with a key', async () => {
    expect((await test.server.app.inject({ method: 'GET', url: '/store/v1/models' })).statusCode).toBe(401);
    const withKey = await test.server.app.inject({ method: 'GET', url: '/store/v1/models/grok-1', headers: { authorization: `Bearer ${test.userKey}` } });
    expect(withKey.statusCode).toBe(200);
  });
});
