import { describe, expect, it } from 'vitest';
import { avatarInitials, gptListingQuery, gptStorePageSize, gptStoreSearch, nextPage, parseGptStoreFilters, previousPage, withFilter } from './gpt-store-logic';

describe('GPT store filters in the address', () => {
  it('reads search, category, sort and the page cursors, defaulting to trending', () => {
    expect(parseGptStoreFilters('')).toEqual({ q: '', category: '', sort: 'trending', cursors: [] });
    expect(parseGptStoreFilters('?q=travel&category=lifestyle&sort=top_rated&after=a,b')).toEqual({ q: 'travel', category: 'lifestyle', sort: 'top_rated', cursors: ['a', 'b'] });
  });

  it('falls back to trending for a sort it does not know', () => {
    expect(parseGptStoreFilters('?sort=cheapest').sort).toBe('trending');
  });

  it('leaves defaults out of the address and round-trips the rest', () => {
    expect(gptStoreSearch(parseGptStoreFilters(''))).toEqual({ q: undefined, category: undefined, sort: undefined, after: undefined });
    const filters = parseGptStoreFilters('?q=%20code%20&sort=new&after=x');
    expect(gptStoreSearch(filters)).toEqual({ q: 'code', category: undefined, sort: 'new', after: 'x' });
  });

  it('asks the listing for the page shown, with its cursor and the same sort', () => {
    expect(gptListingQuery(parseGptStoreFilters('?sort=featured&after=a,b'))).toEqual({ q: undefined, category: undefined, sort: 'featured', limit: gptStorePageSize, cursor: 'b' });
    expect(gptListingQuery(parseGptStoreFilters('')).cursor).toBeUndefined();
  });

  it('pages forward and back by a stack of cursors, and a new filter starts at page one', () => {
    const first = parseGptStoreFilters('?q=travel');
    const second = nextPage(first, 'c1');
    const third = nextPage(second, 'c2');
    expect(third.cursors).toEqual(['c1', 'c2']);
    expect(previousPage(third).cursors).toEqual(['c1']);
    expect(withFilter(third, { sort: 'new' })).toEqual({ q: 'travel', category: '', sort: 'new', cursors: [] });
  });
});

describe('avatar initials', () => {
  it('takes the first letters of the first two words', () => {
    expect(avatarInitials('Travel Helper')).toBe('TH');
    expect(avatarInitials('  code  ')).toBe('C');
    expect(avatarInitials('旅行 助手')).toBe('旅助');
    expect(avatarInitials('')).toBe('?');
  });
});
