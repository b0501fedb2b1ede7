import { describe, expect, it } from 'vitest';
import { buildStoreApiQuery, costOfTokens, parseStoreFilters, storeFiltersToSearch } from './store-query';

describe('store query building', () => {
  it('reads known filters from the address and ignores the rest', () => {
    expect(parseStoreFilters('?q=llama&open_weights=true&min_context=%204096%20&tracking=1&vendor=')).toEqual({ q: 'llama', open_weights: 'true', min_context: '4096' });
  });

  it('writes the address in a stable order without empty values', () => {
    expect(storeFiltersToSearch({ sort: 'price', q: 'qwen', vendor: ' ' })).toBe('?q=qwen&sort=price');
    expect(storeFiltersToSearch({})).toBe('');
    expect(parseStoreFilters(storeFiltersToSearch({ q: 'a b&c', industry: 'finance' }))).toEqual({ q: 'a b&c', industry: 'finance' });
  });

  it('builds the API query: a currency only with a price, an order only with a sort, the page', () => {
    expect(buildStoreApiQuery({ q: 'grok', currency: 'CNY', order: 'desc' }, { limit: 12, cursor: null })).toEqual({ q: 'grok', limit: '12' });
    expect(buildStoreApiQuery({ max_input_price: '5' }, { limit: 12, cursor: 'abc' })).toEqual({ max_input_price: '5', currency: 'USD', limit: '12', cursor: 'abc' });
    expect(buildStoreApiQuery({ max_output_price: '10', currency: 'CNY', sort: 'benchmark:gsm8k', order: 'asc' }, { limit: 20, cursor: null })).toEqual({ max_output_price: '10', currency: 'CNY', sort: 'benchmark:gsm8k', order: 'asc', limit: '20' });
  });

  it('prices tokens in micro-units', () => {
    // GPT-4: 30 USD in, 60 USD out per million tokens; 12 prompt and 5 completion tokens.
    expect(costOfTokens({ input_per_million_tokens: 30_000_000, output_per_million_tokens: 60_000_000, per_request: 0 }, 12, 5)).toBe(660);
    expect(costOfTokens({ input_per_million_tokens: 1, output_per_million_tokens: 1, per_request: 100 }, 1, 1)).toBe(100);
  });
});
