import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseTargets } from '../../test/support/test-databases.js';
import type { Clock } from '../core/index.js';
import type { Database } from '../storage/index.js';
import { CatalogService } from './catalog-service.js';
import { modelCardCreateSchema, priceVersionSchema } from './model-card-schema.js';

const fixedClock: Clock = { now: () => new Date('2025-06-01T00:00:00.000Z'), monotonicMilliseconds: () => 0 };

describe.each(testDatabaseTargets())('catalogue service on $name', (target) => {
  let opened: Awaited<ReturnType<typeof target.open>>;
  let database: Database;
  let catalog: CatalogService;

  beforeAll(async () => {
    opened = await target.open();
    database = opened.database;
    catalog = new CatalogService(database, fixedClock);
  });
  afterAll(async () => {
    await opened.dispose();
  });

  it('seeds the curated cards once, even when two servers seed at the same time', async () => {
    const other = new CatalogService(database, fixedClock);
    const [first, second] = await Promise.all([catalog.seedCuratedCards(), other.seedCuratedCards()]);
    expect(first + second).toBe(18);
    expect(await catalog.seedCuratedCards()).toBe(0);
  });

  it('reads a card back with computed facts and its price history', async () => {
    const gpt35 = await catalog.get('gpt-3.5-turbo');
    expect(gpt35.price_history.map((price) => price.input_per_million_tokens)).toEqual([2_000_000, 1_500_000, 1_000_000]);
    expect(gpt35.price).toMatchObject({ effective_from: '2023-11-06T00:00:00.000Z', input_per_million_tokens: 1_000_000 });
    const grok = await catalog.get('grok-1');
    expect(grok).toMatchObject({ open_weights: true, mof_class: null, license: { id: 'Apache-2.0', terms: { commercial_use: 'yes' } } });
  });

  it('searches with filters, a sort by benchmark and cursor pages', async () => {
    const open = await catalog.search({ open_weights: 'true', min_context: '4096', sort: 'benchmark:gsm8k' });
    expect(open.data.map((model) => model.id).slice(0, 2)).toEqual(['grok-1', 'llama-2-70b']);
    const first = await catalog.search({ limit: '5' });
    expect(first.hasMore).toBe(true);
    const second = await catalog.search({ limit: '5', cursor: first.nextCursor ?? '' });
    expect(second.data[0]?.id).not.toBe(first.data[0]?.id);
    expect((await catalog.search({ q: 'tongyi' })).data.map((model) => model.id)).toEqual(['qwen-72b']);
    expect((await catalog.search({ currency: 'CNY' })).data.map((model) => model.id)).toEqual(['kimi-moonshot-v1-128k']);
  });

  it('sees a card another server created, through the catalogue version', async () => {
    expect((await catalog.search({ q: 'cross-server' })).data).toHaveLength(0);
    const other = new CatalogService(database, fixedClock);
    await other.create(
      modelCardCreateSchema.parse({
        id: 'cross-server-1', name: 'Cross-server 1', vendor: 'Example Labs', release_date: '2024-01-02', description: 'Made on another server.',
        capability: { context_window: 1000, input_modalities: ['text'], output_modalities: ['text'] }, openness: {}, license: { id: 'MIT' },
      }),
    );
    expect((await catalog.search({ q: 'cross-server' })).data.map((model) => model.id)).toEqual(['cross-server-1']);
  });

  it('refuses unknown filters and unknown benchmarks by name', async () => {
    await expect(catalog.search({ colour: 'blue' })).rejects.toMatchObject({ status: 400, param: 'colour', code: 'unknown_filter' });
    await expect(catalog.search({ min_score: 'hellaswag:50' })).rejects.toMatchObject({ status: 400, param: 'min_score', code: 'unknown_benchmark' });
  });

  it('appends future price versions and refuses one dated in the past', async () => {
    const version = priceVersionSchema.parse({ effective_from: '2025-07-01', currency: 'USD', input_per_million_tokens: 500_000, output_per_million_tokens: 1_500_000 });
    const updated = await catalog.addPriceVersion('gpt-3.5-turbo', version);
    expect(updated.price_history).toHaveLength(4);
    expect(updated.price?.input_per_million_tokens).toBe(1_000_000);
    const past = priceVersionSchema.parse({ ...version, effective_from: '2024-01-01' });
    await expect(catalog.addPriceVersion('gpt-3.5-turbo', past)).rejects.toMatchObject({ status: 400, code: 'price_version_in_past' });
    await expect(catalog.addPriceVersion('gpt-3.5-turbo', version)).rejects.toMatchObject({ status: 409 });
  });

  it('creates, refuses a duplicate, and deprecates with a replacement', async () => {
    const card = modelCardCreateSchema.parse({
      id: 'example-7b', name: 'Example 7B', vendor: 'Example Labs', release_date: '2024-01-02', description: 'A test card.',
      capability: { context_window: 32_000, input_modalities: ['text'], output_modalities: ['text'] },
      openness: {}, license: { id: 'MIT' },
    });
    expect((await catalog.create(card)).id).toBe('example-7b');
    await expect(catalog.create(card)).rejects.toMatchObject({ status: 409 });
    const deprecated = await catalog.deprecate('example-7b', { sunset_date: '2025-12-31', replacement: 'gpt-4-turbo' });
    expect(deprecated.deprecation).toMatchObject({ sunset_date: '2025-12-31', replacement: 'gpt-4-turbo' });
    await expect(catalog.deprecate('example-7b', { sunset_date: '2025-12-31', replacement: 'nothing' })).rejects.toMatchObject({ status: 400 });
  });
});
