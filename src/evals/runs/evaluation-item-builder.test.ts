// Run items from the hand-written fixtures: ids, requests as chat turns, samples, references, cost estimate.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { estimateCost } from './evaluation-cost-estimate.js';
import { buildRunItems, defaultMaxTokens, defaultTemperature } from './evaluation-item-builder.js';
import { scoreItem, truncateAtStop } from './evaluation-item-scorer.js';
import type { RunParameters } from './evaluation-run-schema.js';

const fixtures = fileURLToPath(new URL('../__fixtures__/datasets', import.meta.url));
const parameters = (overrides: Partial<RunParameters> = {}): RunParameters => ({ api: 'chat', limit: null, subjects: null, samples: 1, seed: 10, temperature: 0, max_tokens: 64, data_directory: fixtures, ...overrides });

describe('buildRunItems', () => {
  it('gives mmlu items of the chosen subjects as chat turns with their reference letter', () => {
    const items = buildRunItems('mmlu', 'default', parameters({ subjects: ['abstract_algebra'] }), {});
    expect(items.length).toBeGreaterThan(0);
    expect(items[0]?.itemId).toBe('abstract_algebra/0');
    expect(items[0]?.request.reference).toMatch(/^[ABCD]$/);
    expect(items[0]?.request.body.messages?.at(-1)?.content).toMatch(/Answer:$/);
    expect(items[0]?.request.body.stop).toEqual(['\n']);
    expect(() => buildRunItems('mmlu', 'default', parameters({ subjects: ['astrology'] }), {})).toThrow(/unknown MMLU subject "astrology"/);
  });

  it('repeats an item once a sample with its own seed, and limits the items', () => {
    const items = buildRunItems('gsm8k', 'default', parameters({ samples: 3, limit: 1 }), {});
    expect(items.map((item) => [item.itemId, item.sampleIndex, item.request.body.seed])).toEqual([
      ['0', 0, 10],
      ['0', 1, 11],
      ['0', 2, 12],
    ]);
    // The fixture's two train items as shots: two user/assistant pairs, then the question.
    expect(items[0]?.request.body.messages).toHaveLength(5);
  });

  it('uses the minerva shots for math500 and keeps the reference answer', () => {
    const items = buildRunItems('math500', 'minerva', parameters(), {});
    expect(items[0]?.itemId).toBe('test/algebra/1.json');
    expect(items[0]?.request.reference).toBe('9');
    expect(items[0]?.request.body.messages).toHaveLength(9);
    expect(items[0]?.request.stop).toEqual(['Problem:']);
  });

  it('sends completion models the plain prompt text instead of turns', () => {
    const [item] = buildRunItems('gsm8k', 'default', parameters({ api: 'completion', limit: 1 }), {});
    expect(item?.request.body.messages).toBeUndefined();
    expect(item?.request.body.prompt).toMatch(/^Question: .*\nAnswer: .*\n\nQuestion: .*\nAnswer:$/s);
  });

  it('refuses a fixture file under the published checksum (the real files are verified)', () => {
    expect(() => buildRunItems('gsm8k', 'default', parameters())).toThrow(/fails its sha256 check/);
  });
});

describe('defaults, per-item scores and the estimate', () => {
  it('decodes greedily for one sample and at 0.8 for pass@k', () => {
    expect(defaultTemperature(1)).toBe(0);
    expect(defaultTemperature(10)).toBe(0.8);
    expect(defaultMaxTokens('gsm8k')).toBe(256);
  });

  it('cuts answers at the first stop sequence and scores empty text as invalid', () => {
    expect(truncateAtStop('#### 4\n\nQuestion: more', ['Question:', '</s>'])).toBe('#### 4\n\n');
    expect(scoreItem('gsm8k', '', '#### 4')).toEqual({ correct: false, answer: '[invalid]' });
    expect(scoreItem('gsm8k', 'so #### 4', 'It is 4.\n#### 4')).toEqual({ correct: true, answer: '4' });
    expect(scoreItem('mmlu', 'B', 'B').correct).toBe(true);
    expect(scoreItem('math', 'so \\boxed{\\frac{1}{2}}', '0.5').correct).toBe(true);
    expect(scoreItem('humaneval', 'return 1', null).correct).toBeNull();
  });

  it('counts each repeated few-shot turn once and prices tokens in micro-units', () => {
    const items = buildRunItems('mmlu', 'default', parameters({ subjects: ['abstract_algebra'] }), {});
    const price = { catalogModelId: 'x', currency: 'USD', inputPerMillionTokens: 1_000_000, outputPerMillionTokens: 2_000_000, perRequest: 0 };
    const estimate = estimateCost('mmlu', items, price);
    expect(estimate.items).toBe(items.length);
    expect(estimate.cost).toBe(estimate.promptTokens + 2 * estimate.completionTokens);
    expect(estimate.maximumCost).toBe(estimate.promptTokens + 2 * 64 * items.length);
    expect(estimateCost('mmlu', items, null)).toMatchObject({ cost: 0, currency: null });
  });
});
