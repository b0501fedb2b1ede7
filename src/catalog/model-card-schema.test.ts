import { describe, expect, it } from 'vitest';
import { modelCardCreateSchema, type ModelCardCreateInput } from './model-card-schema.js';

const valid: ModelCardCreateInput = {
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

function firstIssuePath(input: unknown): string | undefined {
  const result = modelCardCreateSchema.safeParse(input);
  return result.success ? undefined : result.error.issues[0]?.path.join('.');
}

describe('model card schema', () => {
  it('accepts a valid card and fills defaults', () => {
    const card = modelCardCreateSchema.parse(valid);
    expect(card.capability.tools).toBe(false);
    expect(card.prices[0]?.effective_from).toBe('2024-01-02T00:00:00.000Z');
    expect(card.market).toEqual({ industries: [], scenarios: [] });
  });

  it('refuses a card with a missing field', () => {
    const { name: _name, ...withoutName } = valid;
    expect(firstIssuePath(withoutName)).toBe('name');
  });

  it('refuses a negative price and a fractional micro-unit', () => {
    expect(firstIssuePath({ ...valid, prices: [{ ...valid.prices?.[0], input_per_million_tokens: -1 }] })).toBe('prices.0.input_per_million_tokens');
    expect(firstIssuePath({ ...valid, prices: [{ ...valid.prices?.[0], output_per_million_tokens: 1.5 }] })).toBe('prices.0.output_per_million_tokens');
  });

  it('refuses an unknown licence id, but accepts a LicenseRef with its terms', () => {
    expect(firstIssuePath({ ...valid, license: { id: 'Made-Up-1.0' } })).toBe('license.id');
    const custom = { ...valid, license: { id: 'LicenseRef-example', terms: { name: 'Example terms', commercial_use: 'no', outputs_may_train_other_models: false } } };
    expect(modelCardCreateSchema.safeParse(custom).success).toBe(true);
  });

  it('refuses a modality typo', () => {
    expect(firstIssuePath({ ...valid, capability: { ...valid.capability, input_modalities: ['txt'] } })).toBe('capability.input_modalities.0');
  });

  it('refuses computed fields given as input', () => {
    expect(modelCardCreateSchema.safeParse({ ...valid, mof_class: 'I' }).success).toBe(false);
  });

  it('refuses a published benchmark result without its citation', () => {
    expect(firstIssuePath({ ...valid, benchmarks: [{ benchmark: 'gsm8k', score: 50, source: { kind: 'published', published_at: '2023-11-03' } }] })).toBe('benchmarks.0.source.citation_url');
  });
});
