// Store search: parses the query string (every name checked, so a typo is a 400 naming it, not
// a silently ignored filter), then filters, sorts and pages the presented cards.
import { z } from 'zod';
import { invalidRequest } from '../core/index.js';
import { commercialUseSchema } from './license-registry.js';
import { currencySchema, deploymentKindSchema, industrySchema, modalitySchema } from './model-card-schema.js';
import { mofClassSchema } from './model-openness.js';
import type { PresentedModel } from './catalog-presentation.js';

const booleanText = z.enum(['true', 'false']).transform((text) => text === 'true');
const positiveNumberText = z.string().regex(/^\d+(\.\d+)?$/, 'must be a non-negative number').transform(Number);

export const searchQuerySchema = z
  .object({
    q: z.string().max(200).optional(),
    vendor: z.string().min(1).optional(),
    open_weights: booleanText.optional(),
    mof_class: z.union([mofClassSchema, z.literal('none')]).optional(),
    /** `yes`, `conditional` or `no` as the licence says; `allowed` is either of the first two. */
    commercial_use: z.union([commercialUseSchema, z.literal('allowed')]).optional(),
    license: z.string().min(1).optional(),
    modality: modalitySchema.optional(),
    min_context: z.string().regex(/^\d+$/, 'must be a whole number of tokens').transform(Number).optional(),
    /** Currency units (not micro-units) per million tokens, compared with the price in force. */
    max_input_price: positiveNumberText.optional(),
    max_output_price: positiveNumberText.optional(),
    currency: currencySchema.optional(),
    industry: industrySchema.optional(),
    scenario: z.string().min(1).optional(),
    deployment: deploymentKindSchema.optional(),
    min_score: z.union([z.string(), z.array(z.string())]).optional(),
    sort: z.string().regex(/^(name|price|context|release_date|benchmark:[a-z0-9._-]+)$/, 'must be name, price, context, release_date or benchmark:<name>').optional(),
    order: z.enum(['asc', 'desc']).optional(),
    limit: z.string().regex(/^\d+$/).transform(Number).pipe(z.number().int().min(1).max(100)).optional(),
    cursor: z.string().min(1).optional(),
  })
  .strict();
export type SearchQuery = z.infer<typeof searchQuerySchema>;

export interface SearchPage {
  readonly data: PresentedModel[];
  readonly hasMore: boolean;
  readonly nextCursor: string | null;
}

export function parseSearchQuery(query: unknown): SearchQuery {
  const result = searchQuerySchema.safeParse(query ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (issue?.code === 'unrecognized_keys') {
    const name = issue.keys[0] ?? '';
    throw invalidRequest(`Unknown filter '${name}'. Known filters: ${Object.keys(searchQuerySchema.shape).join(', ')}.`, name, 'unknown_filter');
  }
  const param = issue?.path.map(String).join('.') ?? null;
  throw invalidRequest(`Invalid value for '${param ?? ''}': ${issue?.message ?? 'invalid'}`, param, 'invalid_filter');
}

/** The best score a card has for a benchmark, published or measured. */
export function bestScore(model: PresentedModel, benchmark: string): number | undefined {
  let best: number | undefined;
  for (const result of model.benchmarks) {
    if (result.benchmark === benchmark && (best === undefined || result.score > best)) best = result.score;
  }
  return best;
}

function parseMinimumScores(values: string | string[] | undefined, knownBenchmarks: ReadonlySet<string>): { benchmark: string; score: number }[] {
  if (values === undefined) return [];
  return (Array.isArray(values) ? values : [values]).map((value) => {
    const match = /^([a-z0-9._-]+):(-?\d+(\.\d+)?)$/.exec(value);
    if (match === null || match[1] === undefined || match[2] === undefined) throw invalidRequest(`Invalid value for 'min_score': '${value}' must be <benchmark>:<score>, for example gsm8k:60.`, 'min_score', 'invalid_filter');
    if (!knownBenchmarks.has(match[1])) {
      throw invalidRequest(`Unknown benchmark '${match[1]}' in 'min_score'. Known benchmarks: ${[...knownBenchmarks].sort().join(', ')}.`, 'min_score', 'unknown_benchmark');
    }
    return { benchmark: match[1], score: Number(match[2]) };
  });
}

function matchesText(model: PresentedModel, text: string): boolean {
  const haystack = [model.id, model.name, model.vendor, model.family ?? '', model.description, model.architecture ?? '', ...model.languages, ...model.market.industries, ...model.market.scenarios]
    .join(' ')
    .toLowerCase();
  return text
    .toLowerCase()
    .split(/\s+/)
    .filter((word) => word !== '')
    .every((word) => haystack.includes(word));
}

const micro = 1_000_000;

export function filterModels(models: readonly PresentedModel[], query: SearchQuery, knownBenchmarks: ReadonlySet<string>): PresentedModel[] {
  const minimumScores = parseMinimumScores(query.min_score, knownBenchmarks);
  if (query.sort?.startsWith('benchmark:') === true && !knownBenchmarks.has(query.sort.slice('benchmark:'.length))) {
    throw invalidRequest(`Unknown benchmark '${query.sort.slice('benchmark:'.length)}' in 'sort'.`, 'sort', 'unknown_benchmark');
  }
  return models.filter((model) => {
    if (query.q !== undefined && !matchesText(model, query.q)) return false;
    if (query.vendor !== undefined && model.vendor.toLowerCase() !== query.vendor.toLowerCase()) return false;
    if (query.open_weights !== undefined && model.open_weights !== query.open_weights) return false;
    if (query.mof_class !== undefined && (model.mof_class ?? 'none') !== query.mof_class) return false;
    if (query.commercial_use !== undefined) {
      const terms = model.license.terms.commercial_use;
      if (query.commercial_use === 'allowed' ? terms === 'no' : terms !== query.commercial_use) return false;
    }
    if (query.license !== undefined && model.license.id !== query.license) return false;
    if (query.modality !== undefined && !model.capability.input_modalities.includes(query.modality) && !model.capability.output_modalities.includes(query.modality)) return false;
    if (query.min_context !== undefined && (model.capability.context_window ?? 0) < query.min_context) return false;
    const price = model.price;
    if (query.currency !== undefined && price?.currency !== query.currency) return false;
    if (query.max_input_price !== undefined && (price === null || price.input_per_million_tokens > query.max_input_price * micro)) return false;
    if (query.max_output_price !== undefined && (price === null || price.output_per_million_tokens > query.max_output_price * micro)) return false;
    if (query.industry !== undefined && !model.market.industries.includes(query.industry)) return false;
    if (query.scenario !== undefined && !model.market.scenarios.includes(query.scenario)) return false;
    if (query.deployment !== undefined && !model.deployments.some((deployment) => deployment.kind === query.deployment)) return false;
    return minimumScores.every(({ benchmark, score }) => (bestScore(model, benchmark) ?? Number.NEGATIVE_INFINITY) >= score);
  });
}

/** Sorts with missing values last whatever the order, and the id as the tie-break so cursors are stable. */
export function sortModels(models: PresentedModel[], query: SearchQuery): PresentedModel[] {
  const sort = query.sort ?? 'name';
  const defaultDescending = sort === 'context' || sort === 'release_date' || sort.startsWith('benchmark:');
  const descending = query.order === undefined ? defaultDescending : query.order === 'desc';
  const key = (model: PresentedModel): number | string | undefined => {
    if (sort === 'name') return model.name.toLowerCase();
    if (sort === 'price') return model.price?.input_per_million_tokens;
    if (sort === 'context') return model.capability.context_window ?? undefined;
    if (sort === 'release_date') return model.release_date;
    return bestScore(model, sort.slice('benchmark:'.length));
  };
  // Keys are computed once a card, not once a comparison: a benchmark key scans the card's results.
  const keyed = models.map((model) => ({ model, value: key(model) }));
  keyed.sort((left, right) => {
    const a = left.value;
    const b = right.value;
    if (a === undefined || b === undefined) {
      if (a !== b) return a === undefined ? 1 : -1;
    } else if (a !== b) {
      const ascending = a < b ? -1 : 1;
      return descending ? -ascending : ascending;
    }
    return left.model.id < right.model.id ? -1 : left.model.id > right.model.id ? 1 : 0;
  });
  return keyed.map((entry) => entry.model);
}

export function encodeCursor(id: string): string {
  return Buffer.from(JSON.stringify({ after: id })).toString('base64url');
}

function decodeCursor(cursor: string): string {
  try {
    const parsed = z.object({ after: z.string() }).parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return parsed.after;
  } catch {
    throw invalidRequest('Invalid cursor: pass the next_cursor of a previous page unchanged.', 'cursor', 'invalid_cursor');
  }
}

export function pageModels(sorted: readonly PresentedModel[], query: SearchQuery): SearchPage {
  const limit = query.limit ?? 20;
  let start = 0;
  if (query.cursor !== undefined) {
    const after = decodeCursor(query.cursor);
    const index = sorted.findIndex((model) => model.id === after);
    if (index < 0) throw invalidRequest('Invalid cursor: its model is no longer in these results; start again without a cursor.', 'cursor', 'invalid_cursor');
    start = index + 1;
  }
  const data = sorted.slice(start, start + limit);
  const hasMore = start + limit < sorted.length;
  const last = data[data.length - 1];
  return { data, hasMore, nextCursor: hasMore && last !== undefined ? encodeCursor(last.id) : null };
}
