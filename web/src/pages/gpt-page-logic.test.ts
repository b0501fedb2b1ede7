import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/api-client';
import type { PriceVersion } from '../api/api-types';
import { answerCost, cardForBaseModel, citationsOfChunk, gptChatRequest, gptModelName, histogramRows, isNotUsedError, playgroundHrefFor, reviewBody, starsText } from './gpt-page-logic';

describe('calling a GPT', () => {
  it('names the published GPT or its draft', () => {
    expect(gptModelName('travel-helper')).toBe('gpt:travel-helper');
    expect(gptModelName('travel-helper', 'draft')).toBe('gpt:travel-helper@draft');
  });

  it('streams with usage and sends the turns as they are', () => {
    expect(gptChatRequest('gpt:a-b', [{ role: 'user', content: 'Hi' }])).toEqual({ model: 'gpt:a-b', messages: [{ role: 'user', content: 'Hi' }], stream: true, stream_options: { include_usage: true } });
  });

  it('opens the playground on the GPT', () => {
    expect(playgroundHrefFor('travel-helper')).toBe('/playground?model=gpt%3Atravel-helper');
  });
});

describe('citations of a streamed answer', () => {
  it('takes the modelmart extension, with sources and dates', () => {
    const chunk = { choices: [], modelmart: { citations: [{ index: 1, title: 'Climate of Paris', source: 'climate.md', date: '2026-06-01' }] } };
    expect(citationsOfChunk(chunk)).toEqual([{ index: 1, title: 'Climate of Paris', source: 'climate.md', date: '2026-06-01' }]);
  });

  it('falls back to url_citation annotations, one per source', () => {
    const annotation = (url: string) => ({ type: 'url_citation', url_citation: { title: url, url, start_index: 0, end_index: 3 } });
    const chunk = { choices: [{ index: 0, delta: { annotations: [annotation('a.md'), annotation('a.md'), annotation('https://example.org/b')] }, finish_reason: 'stop' }] };
    expect(citationsOfChunk(chunk).map((citation) => [citation.index, citation.source])).toEqual([
      [1, 'a.md'],
      [2, 'https://example.org/b'],
    ]);
  });

  it('finds none in an ordinary chunk or something that is not one', () => {
    expect(citationsOfChunk({ choices: [{ index: 0, delta: { content: 'Hi' }, finish_reason: null }] })).toEqual([]);
    expect(citationsOfChunk(null)).toEqual([]);
    expect(citationsOfChunk('text')).toEqual([]);
  });
});

describe('cost and the base model card', () => {
  const price: PriceVersion = { effective_from: '2024-01-01', currency: 'USD', input_per_million_tokens: 2_000_000, output_per_million_tokens: 8_000_000, cached_input_per_million_tokens: null, per_request: 0, free_tier: null, source: null };

  it('costs an answer at the price, or says nothing without one', () => {
    expect(answerCost(price, 1_000, 500)).toEqual({ amount: 6_000, currency: 'USD' });
    expect(answerCost(null, 1_000, 500)).toBeNull();
    expect(answerCost(undefined, 1_000, 500)).toBeNull();
  });

  it('finds the card by id, route or provider/model', () => {
    const cards = [
      { id: 'grok-1', deployments: [] },
      { id: 'gpt-4o-mini', deployments: [{ kind: 'public-cloud-api' as const, provider: 'openai', model: 'gpt-4o-mini' }] },
      { id: 'llama', deployments: [{ kind: 'private' as const, route: 'local-llama' }] },
    ];
    expect(cardForBaseModel(cards, 'grok-1')).toBe('grok-1');
    expect(cardForBaseModel(cards, 'openai/gpt-4o-mini')).toBe('gpt-4o-mini');
    expect(cardForBaseModel(cards, 'local-llama')).toBe('llama');
    expect(cardForBaseModel(cards, 'stub/other')).toBeNull();
  });
});

describe('ratings and reviews', () => {
  it('draws stars as symbols, rounded and bounded', () => {
    expect(starsText(4.4)).toBe('★★★★☆');
    expect(starsText(4.5)).toBe('★★★★★');
    expect(starsText(0)).toBe('☆☆☆☆☆');
    expect(starsText(9)).toBe('★★★★★');
  });

  it('gives each star its share, five stars first', () => {
    const rows = histogramRows({ average: 4, count: 4, histogram: { '1': 0, '2': 0, '3': 1, '4': 1, '5': 2 } });
    expect(rows).toEqual([
      { stars: 5, count: 2, percent: 50 },
      { stars: 4, count: 1, percent: 25 },
      { stars: 3, count: 1, percent: 25 },
      { stars: 2, count: 0, percent: 0 },
      { stars: 1, count: 0, percent: 0 },
    ]);
    expect(histogramRows({ average: null, count: 0, histogram: { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 } })[0]?.percent).toBe(0);
  });

  it('checks a review before sending it', () => {
    expect(reviewBody(0, '')).toEqual({ problem: 'gpts.review.pickStars' });
    expect(reviewBody(5, 'x'.repeat(2_001))).toEqual({ problem: 'gpts.review.tooLong' });
    expect(reviewBody(4, '  ')).toEqual({ body: { stars: 4 } });
    expect(reviewBody(5, ' Great ')).toEqual({ body: { stars: 5, review: 'Great' } });
  });

  it('knows the refusal of a reader who has not used the GPT', () => {
    expect(isNotUsedError(new ApiError(403, 'Use it first.', 'gpt_not_used', null, null))).toBe(true);
    expect(isNotUsedError(new ApiError(403, 'No.', 'permission_denied', null, null))).toBe(false);
    expect(isNotUsedError(new Error('gpt_not_used'))).toBe(false);
  });
});
