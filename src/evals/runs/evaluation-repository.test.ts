// Claims on SQLite and PostgreSQL: batches in order, never the same item twice, leases that
// expire to another worker, answers accepted only from the current holder, claims handed back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseTargets } from '../../../test/support/test-databases.js';
import type { Database } from '../../storage/index.js';
import type { RunItem } from './evaluation-item-builder.js';
import { EvaluationRepository, type RunRow } from './evaluation-repository.js';

const items: RunItem[] = Array.from({ length: 10 }, (_, index) => ({
  itemId: String(index),
  sampleIndex: 0,
  request: { body: { messages: [{ role: 'user', content: `q${index}` }], temperature: 0, max_tokens: 8 }, stop: [], reference: '#### 1' },
}));

function runRow(id: string): RunRow {
  return {
    id,
    benchmark: 'gsm8k',
    setting: 'default',
    model: 'stub/m',
    parameters: '{}',
    status: 'running',
    total_items: items.length,
    done_items: 0,
    failed_items: 0,
    metrics: null,
    cost: 0,
    cost_currency: null,
    catalog_model_id: null,
    finalized_by: null,
    error: null,
    created_at: '2026-01-01T00:00:00.000Z',
    started_at: null,
    finished_at: null,
    created_by: null,
  };
}

const outcome = { response: '#### 1', score: null, promptTokens: 3, completionTokens: 2, cost: 5, cached: false };

describe.each(testDatabaseTargets())('evaluation repository on $name', (target) => {
  let database: Database;
  let dispose: () => Promise<void>;
  let repository: EvaluationRepository;

  beforeAll(async () => {
    const opened = await target.open();
    database = opened.database;
    dispose = opened.dispose;
    repository = new EvaluationRepository(database);
  });
  afterAll(async () => dispose());

  it('claims in position order, takes over expired claims, and accepts answers only from the holder', async () => {
    await repository.insertRun(runRow('evalrun_lease'), items);
    const first = await repository.claimItems('evalrun_lease', 'a', 4, '2026-01-01T00:00:00.000Z', '2025-12-31T23:55:00.000Z');
    expect(first.map((item) => item.item_id)).toEqual(['0', '1', '2', '3']);
    const second = await repository.claimItems('evalrun_lease', 'b', 4, '2026-01-01T00:01:00.000Z', '2025-12-31T23:56:00.000Z');
    expect(second.map((item) => item.item_id)).toEqual(['4', '5', '6', '7']);
    // Ten minutes later a's claims are past a five-minute lease: c takes them, and a can no longer answer.
    const third = await repository.claimItems('evalrun_lease', 'c', 10, '2026-01-01T00:10:00.000Z', '2026-01-01T00:00:30.000Z');
    expect(third.map((item) => item.item_id).sort()).toEqual(['0', '1', '2', '3', '8', '9']);
    expect(third.find((item) => item.item_id === '0')?.attempts).toBe(2);
    expect(await repository.completeItem(first[0] ?? { run_id: '', position: -1 }, 'a', outcome, '2026-01-01T00:11:00.000Z')).toBe(false);
    expect(await repository.completeItem(third[0] ?? { run_id: '', position: -1 }, 'c', outcome, '2026-01-01T00:11:00.000Z')).toBe(true);
    expect(await repository.releaseClaims('evalrun_lease', ['b'])).toBe(4);
    expect(await repository.counts('evalrun_lease')).toMatchObject({ total: 10, pending: 4, claimed: 5, done: 1, failed: 0, cost: 5 });
    expect((await repository.claimHolders('evalrun_lease')).sort()).toEqual(['c']);
  });

  it('lets exactly one of many concurrent claimers take each item, and one finaliser win', async () => {
    await repository.insertRun(runRow('evalrun_race'), items);
    const claims = await Promise.all(Array.from({ length: 6 }, (_, index) => repository.claimItems('evalrun_race', `w${index}`, 3, '2026-01-01T00:00:00.000Z', '2025-12-31T00:00:00.000Z')));
    const taken = claims.flat().map((item) => item.item_id);
    expect(taken.sort()).toEqual(items.map((item) => item.itemId).sort());
    const winners = await Promise.all(['x', 'y', 'z'].map((worker) => repository.claimFinalization('evalrun_race', worker)));
    expect(winners.filter(Boolean)).toHaveLength(1);
  });

  it('answers cache lookups and ignores a second store of the same key', async () => {
    const row = { key: 'k1', model: 'stub/m', response: 'first', prompt_tokens: 1, completion_tokens: 2, created_at: '2026-01-01T00:00:00.000Z' };
    await repository.storeCachedResponse(row);
    await repository.storeCachedResponse({ ...row, response: 'second' });
    expect((await repository.cachedResponse('k1'))?.response).toBe('first');
    expect(await repository.cachedResponse('k2')).toBeUndefined();
  });
});
