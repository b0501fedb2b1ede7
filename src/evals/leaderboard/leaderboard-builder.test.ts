// The leaderboard over a real catalogue (curated cards with the published Grok-1 table) on
// SQLite and PostgreSQL: measured beside published, sorting, filters, cursor pages, bad names.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseTargets } from '../../../test/support/test-databases.js';
import { CatalogService } from '../../catalog/index.js';
import { buildLeaderboard } from './leaderboard-builder.js';

describe.each(testDatabaseTargets())('leaderboard on $name', (target) => {
  let catalog: CatalogService;
  let dispose: () => Promise<void>;

  beforeAll(async () => {
    const opened = await target.open();
    dispose = opened.dispose;
    catalog = new CatalogService(opened.database);
    await catalog.seedCuratedCards();
    await catalog.recordBenchmarkResult('grok-1', { benchmark: 'gsm8k', score: 95.5, setting: { shots: 5 }, source: { kind: 'measured', evaluation_run_id: 'evalrun_old', measured_at: '2026-01-01T00:00:00.000Z' } });
    await catalog.recordBenchmarkResult('grok-1', { benchmark: 'gsm8k', score: 99.1, setting: { shots: 5, note: 'newer' }, source: { kind: 'measured', evaluation_run_id: 'evalrun_new', measured_at: '2026-02-01T00:00:00.000Z' } });
  });
  afterAll(async () => dispose());

  it('puts the newest measured score beside the published one, sorted by measured then published', async () => {
    const page = await buildLeaderboard(catalog, { benchmarks: 'gsm8k,mmlu', limit: '100' });
    expect(page.sort).toBe('gsm8k');
    const ids = page.data.map((row) => row.model.id);
    expect(ids[0]).toBe('grok-1');
    expect(page.data[0]?.scores['gsm8k']).toMatchObject({ measured: { score: 99.1, evaluation_run_id: 'evalrun_new' }, published: { score: 62.9, citation_url: 'https://x.ai/blog/grok' } });
    expect(page.data[0]?.scores['mmlu']).toMatchObject({ measured: null, published: { score: 73 } });
    // Then by published gsm8k: GPT-4 92.0, Claude 2 88.0, PaLM 2 80.7.
    expect(ids.slice(1, 4)).toEqual(['gpt-4', 'claude-2', 'palm-2']);
    const ascending = await buildLeaderboard(catalog, { benchmarks: 'gsm8k', order: 'asc', limit: '100' });
    expect(ascending.data.at(-1)?.model.id).toBe('grok-1');
  });

  it('sorts by another listed benchmark and pages by cursor without repeats', async () => {
    const first = await buildLeaderboard(catalog, { benchmarks: 'gsm8k,humaneval', sort: 'humaneval', limit: '3' });
    expect(first.data.map((row) => row.model.id)).toEqual(['claude-2', 'gpt-4', 'grok-1']);
    expect(first.has_more).toBe(true);
    const seen = new Set(first.data.map((row) => row.model.id));
    let cursor = first.next_cursor;
    while (cursor !== null) {
      const next = await buildLeaderboard(catalog, { benchmarks: 'gsm8k,humaneval', sort: 'humaneval', limit: '3', cursor });
      for (const row of next.data) {
        expect(seen.has(row.model.id)).toBe(false);
        seen.add(row.model.id);
      }
      cursor = next.next_cursor;
    }
    expect(seen.size).toBe(8);
  });

  it('applies the store filters', async () => {
    const open = await buildLeaderboard(catalog, { benchmarks: 'gsm8k', open_weights: 'true', limit: '100' });
    expect(open.data.length).toBeGreaterThan(0);
    expect(open.data.every((row) => row.model.open_weights)).toBe(true);
    expect(open.data.some((row) => row.model.id === 'gpt-4')).toBe(false);
  });

  it('refuses an unknown benchmark, a sort outside the list, an unknown filter and a bad cursor with 400s naming them', async () => {
    await expect(buildLeaderboard(catalog, { benchmarks: 'gsm8k,hellaswag' })).rejects.toMatchObject({ status: 400, param: 'benchmarks', message: expect.stringContaining("'hellaswag'") });
    await expect(buildLeaderboard(catalog, { benchmarks: 'gsm8k', sort: 'mmlu' })).rejects.toMatchObject({ status: 400, param: 'sort' });
    await expect(buildLeaderboard(catalog, { benchmarks: 'gsm8k', colour: 'blue' })).rejects.toMatchObject({ status: 400, param: 'colour' });
    await expect(buildLeaderboard(catalog, { benchmarks: 'gsm8k', cursor: 'nonsense' })).rejects.toMatchObject({ status: 400, param: 'cursor' });
  });
});
