// The store's filters as the page holds them, and their translation to and from the query
// string: the same text serves as the page's address (shareable) and as the API's query.
export const storeFilterNames = [
  'q',
  'vendor',
  'open_weights',
  'mof_class',
  'commercial_use',
  'min_context',
  'max_input_price',
  'max_output_price',
  'currency',
  'modality',
  'industry',
  'deployment',
  'sort',
  'order',
] as const;
export type StoreFilterName = (typeof storeFilterNames)[number];
export type StoreFilters = Readonly<Partial<Record<StoreFilterName, string>>>;

export const modalities = ['text', 'image', 'audio', 'video', 'file', 'embedding'] as const;
export const industries = ['finance', 'energy', 'manufacturing', 'healthcare', 'education', 'government', 'legal', 'retail', 'software', 'telecommunications', 'media', 'transport', 'research'] as const;
export const deploymentKinds = ['public-cloud-api', 'private', 'edge'] as const;
export const harnessBenchmarks = ['gsm8k', 'mmlu', 'humaneval', 'math'] as const;
export const sortChoices = ['name', 'price', 'context', 'release_date', ...harnessBenchmarks.map((name) => `benchmark:${name}`)] as const;

/** Reads the filters from a page address's query string, keeping only names the store knows. */
export function parseStoreFilters(search: string): StoreFilters {
  const parameters = new URLSearchParams(search);
  const filters: Partial<Record<StoreFilterName, string>> = {};
  for (const name of storeFilterNames) {
    const value = parameters.get(name)?.trim();
    if (value !== undefined && value !== '') filters[name] = value;
  }
  return filters;
}

/** The page's own query string for these filters (empty values left out, in a stable order). */
export function storeFiltersToSearch(filters: StoreFilters): string {
  const parameters = new URLSearchParams();
  for (const name of storeFilterNames) {
    const value = filters[name]?.trim();
    if (value !== undefined && value !== '') parameters.set(name, value);
  }
  const text = parameters.toString();
  return text === '' ? '' : `?${text}`;
}

/**
 * The /store/v1/models query: the filters as the API names them, plus the page. Prices typed
 * in currency units are sent as the API expects them (units per million tokens); a currency
 * is sent with a price so both sides compare like with like.
 */
export function buildStoreApiQuery(filters: StoreFilters, page: { readonly limit: number; readonly cursor: string | null }): Record<string, string> {
  const query: Record<string, string> = {};
  for (const name of storeFilterNames) {
    const value = filters[name]?.trim();
    if (value === undefined || value === '') continue;
    query[name] = value;
  }
  const hasPrice = query.max_input_price !== undefined || query.max_output_price !== undefined;
  if (hasPrice && query.currency === undefined) query.currency = 'USD';
  if (!hasPrice) delete query.currency;
  if (query.order !== undefined && query.sort === undefined) delete query.order;
  query.limit = String(page.limit);
  if (page.cursor !== null) query.cursor = page.cursor;
  return query;
}

/** A price for the model: micro-units per million tokens × tokens. */
export function costOfTokens(price: { readonly input_per_million_tokens: number; readonly output_per_million_tokens: number; readonly per_request: number }, promptTokens: number, completionTokens: number): number {
  return Math.round((price.input_per_million_tokens * promptTokens + price.output_per_million_tokens * completionTokens) / 1_000_000) + price.per_request;
}
