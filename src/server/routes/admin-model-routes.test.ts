import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseTargets } from '../../../test/support/test-databases.js';
import { startTestServer, type TestServer } from '../../../test/support/test-server.js';

interface ErrorBody { error: { message: string; type: string; param: string | null; code: string | null } }

const card = {
  id: 'example-7b',
  name: 'Example 7B',
  vendor: 'Example Labs',
  release_date: '2024-01-02',
  description: 'A test card.',
  capability: { context_window: 32_000, input_modalities: ['text'], output_modalities: ['text'] },
  openness: { final_parameters: { public: true, license: 'Apache-2.0' } },
  license: { id: 'Apache-2.0' },
  prices: [{ effective_from: '2024-01-02', currency: 'USD', input_per_million_tokens: 500_000, output_per_million_tokens: 1_500_000 }],
};

describe.each(testDatabaseTargets())('admin models API on $name', (target) => {
  let test: TestServer;
  const send = (method: 'POST' | 'PUT', url: string, payload: unknown, key?: string) =>
    test.server.app.inject({ method, url, headers: { authorization: `Bearer ${key ?? test.adminKey}` }, payload: payload as Record<string, unknown> });

  beforeAll(async () => {
    test = await startTestServer(target);
  });
  afterAll(async () => {
    await test.close();
  });

  it('creates a card that the store shows at once, updates it, adds a price version and deprecates it', async () => {
    const created = await send('POST', '/admin/v1/models', card);
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ id: 'example-7b', open_weights: true, mof_class: null });
    expect((await test.server.app.inject({ method: 'GET', url: '/store/v1/models/example-7b' })).statusCode).toBe(200);

    const { prices: _prices, ...body } = card;
    const updated = await send('PUT', '/admin/v1/models/example-7b', { ...body, description: 'Updated.' });
    expect(updated.json()).toMatchObject({ description: 'Updated.' });

    const priced = await send('POST', '/admin/v1/models/example-7b/prices', { effective_from: '2999-01-01', currency: 'USD', input_per_million_tokens: 250_000, output_per_million_tokens: 750_000 });
    expect(priced.statusCode).toBe(201);
    expect(priced.json<{ price_history: unknown[]; price: { input_per_million_tokens: number } }>()).toMatchObject({ price_history: [{}, {}], price: { input_per_million_tokens: 500_000 } });

    const deprecated = await send('POST', '/admin/v1/models/example-7b/deprecate', { sunset_date: '2999-06-30', replacement: 'gpt-4-turbo' });
    expect(deprecated.json()).toMatchObject({ deprecation: { sunset_date: '2999-06-30', replacement: 'gpt-4-turbo' } });
  });

  it('records a measured benchmark result once, and refuses one without its run id', async () => {
    const result = { benchmark: 'gsm8k', score: 71.5, setting: { shots: 8 }, source: { kind: 'measured', evaluation_run_id: 'run-1' } };
    expect((await send('POST', '/admin/v1/models/grok-1/benchmarks', result)).statusCode).toBe(201);
    const again = await send('POST', '/admin/v1/models/grok-1/benchmarks', { ...result, score: 72 });
    const measured = again.json<{ benchmarks: { benchmark: string; score: number; source: { kind: string } }[] }>().benchmarks.filter((entry) => entry.source.kind === 'measured');
    expect(measured).toEqual([expect.objectContaining({ benchmark: 'gsm8k', score: 72 })]);
    const search = await test.server.app.inject({ method: 'GET', url: '/store/v1/models?min_score=gsm8k:70' });
    expect(search.json<{ data: { id: string }[] }>().data.map((model) => model.id)).toContain('grok-1');
    const missing = await send('POST', '/admin/v1/models/grok-1/benchmarks', { ...result, source: { kind: 'measured' } });
    expect(missing.json<ErrorBody>().error.param).toBe('source.evaluation_run_id');
  });

  it('refuses invalid cards with a 400 naming the field', async () => {
    const cases: [unknown, string][] = [
      [{ ...card, id: 'missing-name', name: undefined }, 'name'],
      [{ ...card, id: 'negative', prices: [{ ...card.prices[0], input_per_million_tokens: -5 }] }, 'prices[0].input_per_million_tokens'],
      [{ ...card, id: 'bad-licence', license: { id: 'Unknown-License-9' } }, 'license.id'],
      [{ ...card, id: 'typo', capability: { ...card.capability, output_modalities: ['imgae'] } }, 'capability.output_modalities[0]'],
    ];
    for (const [payload, param] of cases) {
      const response = await send('POST', '/admin/v1/models', payload);
      expect(response.statusCode, param).toBe(400);
      expect(response.json<ErrorBody>().error).toMatchObject({ param, type: 'invalid_request_error' });
    }
  });

  it('refuses a price version dated in the past, a duplicate card, and a user key', async () => {
    const past = await send('POST', '/admin/v1/models/gpt-4-turbo/prices', { effective_from: '2023-12-01', currency: 'USD', input_per_million_tokens: 1, output_per_million_tokens: 1 });
    expect(past.statusCode).toBe(400);
    expect(past.json<ErrorBody>().error).toMatchObject({ param: 'effective_from', code: 'price_version_in_past' });
    expect((await send('POST', '/admin/v1/models', { ...card, id: 'gpt-4' })).statusCode).toBe(409);
    expect((await send('POST', '/admin/v1/models', card, test.userKey)).statusCode).toBe(403);
    expect((await send('POST', '/admin/v1/models/nothing/prices', { currency: 'USD', input_per_million_tokens: 1, output_per_million_tokens: 1 })).statusCode).toBe(404);
  });

  it('dates a price version without effective_from at the moment it is stored, never in the past', async () => {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const response = await send('POST', '/admin/v1/models/gpt-4-turbo/prices', { currency: 'USD', input_per_million_tokens: 2 + attempt, output_per_million_tokens: 3 });
      expect(response.statusCode, response.body).toBe(201);
      // Two versions stamped in the same millisecond would be one effective date twice (409, rightly).
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  });
});
