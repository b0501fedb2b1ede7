// The GPT store's filters as they live in the address (so a search can be bookmarked), and the
// listing query they make. Keyset pages: the address keeps the cursor of the page shown and the
// cursors before it, so "Previous" works without the API paging backwards.
import { gptSorts, type GptSort } from '../api/gpt-types';

export interface GptStoreFilters {
  readonly q: string;
  readonly category: string;
  readonly sort: GptSort;
  /** The cursors of the pages before this one, oldest first; the last is this page's cursor. */
  readonly cursors: readonly string[];
}

export const gptStorePageSize = 12;

function isSort(value: string | null): value is GptSort {
  return value !== null && (gptSorts as readonly string[]).includes(value);
}

export function parseGptStoreFilters(search: string): GptStoreFilters {
  const parameters = new URLSearchParams(search);
  const sort = parameters.get('sort');
  const cursors = (parameters.get('after') ?? '').split(',').filter((cursor) => cursor !== '');
  return { q: parameters.get('q') ?? '', category: parameters.get('category') ?? '', sort: isSort(sort) ? sort : 'trending', cursors };
}

/** The address's query: defaults are left out so the plain store has a plain address. */
export function gptStoreSearch(filters: GptStoreFilters): Readonly<Record<string, string | undefined>> {
  return {
    q: filters.q.trim() === '' ? undefined : filters.q.trim(),
    category: filters.category === '' ? undefined : filters.category,
    sort: filters.sort === 'trending' ? undefined : filters.sort,
    after: filters.cursors.length === 0 ? undefined : filters.cursors.join(','),
  };
}

/** GET /store/v1/gpts's query for these filters. */
export function gptListingQuery(filters: GptStoreFilters): Readonly<Record<string, string | number | undefined>> {
  return {
    q: filters.q.trim() === '' ? undefined : filters.q.trim(),
    category: filters.category === '' ? undefined : filters.category,
    sort: filters.sort,
    limit: gptStorePageSize,
    cursor: filters.cursors.at(-1),
  };
}

/** A change of search, category or sort starts again at the first page. */
export function withFilter(filters: GptStoreFilters, change: Partial<Pick<GptStoreFilters, 'q' | 'category' | 'sort'>>): GptStoreFilters {
  return { ...filters, ...change, cursors: [] };
}

export function nextPage(filters: GptStoreFilters, nextCursor: string): GptStoreFilters {
  return { ...filters, cursors: [...filters.cursors, nextCursor] };
}

export function previousPage(filters: GptStoreFilters): GptStoreFilters {
  return { ...filters, cursors: filters.cursors.slice(0, -1) };
}

/** The letters an avatar shows when a GPT has no picture: the first letters of its first two words. */
export function avatarInitials(name: string): string {
  const words = name.trim().split(/\s+/).filter((word) => word !== '');
  const letters = words.slice(0, 2).map((word) => Array.from(word)[0] ?? '');
  return letters.join('').toUpperCase() || '?';
}
