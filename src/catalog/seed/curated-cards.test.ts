import { describe, expect, it } from 'vitest';
import { computeMofClass, hasOpenWeights } from '../model-openness.js';
import { curatedCards } from './curated-cards.js';

describe('curated cards', () => {
  const cards = curatedCards();
  const byId = new Map(cards.map((card) => [card.body.id, card.body]));

  it('are valid, unique and each cites a source', () => {
    expect(new Set(cards.map((card) => card.body.id)).size).toBe(cards.length);
    for (const card of cards) expect(card.body.sources.length, card.body.id).toBeGreaterThan(0);
  });

  it('cover the models the market argues about', () => {
    for (const id of ['gpt-4-turbo', 'gpt-3.5-turbo', 'gpt-4', 'grok-0', 'grok-1', 'llama-2-70b', 'claude-2', 'palm-2', 'inflection-1', 'qwen-72b', 'ernie-bot-4', 'hunyuan', 'pangu-3', 'baichuan-2-13b', 'aquila-7b', 'chatglm3-6b', 'deepseek-llm-67b', 'kimi-moonshot-v1-128k']) {
      expect(byId.has(id), id).toBe(true);
    }
  });

  it('say closed models are closed, and Grok-1 has open weights under Apache-2.0', () => {
    for (const id of ['pangu-3', 'ernie-bot-4']) {
      const card = byId.get(id);
      expect(card?.openness.final_parameters?.public).toBe(false);
      expect(computeMofClass(card?.openness ?? {})).toBeNull();
    }
    const grok = byId.get('grok-1');
    expect(grok?.license.id).toBe('Apache-2.0');
    expect(hasOpenWeights(grok?.openness ?? {})).toBe(true);
  });

  it('carry the Grok-1 announcement scores as published results', () => {
    const claude = byId.get('claude-2');
    expect(claude?.benchmarks.find((result) => result.benchmark === 'mmlu')).toMatchObject({ score: 75, setting: { shots: 5, chain_of_thought: true }, source: { kind: 'published', published_at: '2023-11-03' } });
    expect(byId.get('palm-2')?.benchmarks.some((result) => result.benchmark === 'humaneval')).toBe(false);
  });
});
