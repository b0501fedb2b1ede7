// The leaderboard: per model, measured (evaluation runs) and published (vendor tables) scores
// side by side for the chosen benchmarks, with the store's filters, sorted by one benchmark and
// paged by cursor. Filters are the catalogue search's own, so they mean the same on both pages.
import { z } from 'zod';
import type { BenchmarkResult, CatalogService, PresentedModel } from '../../catalog/index.js';
import { invalidRequest } from '../../core/index.js';

/** The benchmarks the harness measures; valid even before any card has a result for one. */
const harnessBenchmarks = ['gsm8k', 'mmlu', 'humaneval', 'math', 'math500'];

const leaderboardQuerySchema = z.object({
  benchmarks: z.string().min(1).optional(),
  sort: z.string().min(1).optional(),
  order: z.enum(['asc', 'desc']).optional(),
  limit: z.string().regex(/^\d+$/, 'must be a whole number').transform(Number).pipe(z.number().int().min(1).max(100)).optional(),
  cursor: z.string().min(1).optional(),
});

export interface LeaderboardCell {
  readonly measured: { readonly score: number; readonly setting: BenchmarkResult['setting']; readonly evaluation_run_id: string; readonly measured_at: string | null } | null;
  readonly published: { readonly score: number; readonly setting: BenchmarkResult['setting']; readonly citation_url: string; readonly published_at: string } | null;
}

export interface LeaderboardRow {
  readonly model: Pick<PresentedModel, 'id' | 'name' | 'vendor' | 'open_weights' | 'mof_class' | 'price'> & { readonly license: string };
  readonly scores: Readonly<Record<string, LeaderboardCell>>;
}

export interface LeaderboardPage {
  readonly object: 'leaderboard';
  readonly benchmarks: readonly string[];
  readonly sort: string;
  readonly data: LeaderboardRow[];
  readonly has_more: boolean;
  readonly next_cursor: string | null;
}

function cell(model: PresentedModel, benchmark: string): LeaderboardCell {
  let measured: LeaderboardCell['measured'] = null;
  let published: LeaderboardCell['published'] = null;
  for (const result of model.benchmarks) {
    if (result.benchmark !== benchmark) continue;
    const source = result.source;
    if (source.kind === 'measured') {
      // The newest measurement wins: a later run supersedes an earlier one.
      if (measured === null || (source.measured_at ?? '') > (measured.measured_at ?? '')) {
        measured = { score: result.score, setting: result.setting, evaluation_run_id: source.evaluation_run_id, measured_at: source.measured_at ?? null };
      }
    } else if (published === null || result.score > published.score) {
      published = { score: result.score, setting: result.setting, citation_url: source.citation_url, published_at: source.published_at };
    }
  }
  return { measured, published };
}

/** Every card the store's filters select (the catalogue pages them 100 at a time). */
async function searchAll(catalog: CatalogService, filters: Record<string, unknown>): Promise<PresentedModel[]> {
  const models: PresentedModel[] = [];
  let cursor: string | null = null;
  do {
    const page = await catalog.search({ ...filters, limit: '100', ...(cursor === null ? {} : { cursor }) });
    models.push(...page.data);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return models;
}

function encodeCursor(id: string): string {
  return Buffer.from(JSON.stringify({ after: id })).toString('base64url');
}

function decodeCursor(cursor: string): string {
  try {
    return z.object({ after: z.string() }).parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))).after;
  } catch {
    throw invalidRequest('Invalid cursor: pass the next_cursor of a previous page unchanged.', 'cursor', 'invalid_cursor');
  }
}

export async function buildLeaderboard(catalog: CatalogService, rawQuery: Readonly<Record<string, unknown>>): Promise<LeaderboardPage> {
  const { benchmarks: benchmarkText, sort: sortText, order: orderText, limit: limitText, cursor: cursorText, ...filters } = rawQuery;
  const parsed = leaderboardQuerySchema.safeParse({ benchmarks: benchmarkText, sort: sortText, order: orderText, limit: limitText, cursor: cursorText });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const param = issue?.path.map(String).join('.') ?? null;
    throw invalidRequest(`Invalid value for '${param ?? ''}': ${issue?.message ?? 'invalid'}`, param, 'invalid_filter');
  }
  const query = parsed.data;
  const benchmarks = (query.benchmarks ?? 'gsm8k,mmlu,humaneval,math').split(',').map((name) => name.trim()).filter((name) => name !== '');
  const models = await searchAll(catalog, filters);
  const known = new Set(harnessBenchmarks);
  const unknownOf = (names: readonly string[]) => names.find((name) => !known.has(name));
  if (unknownOf(benchmarks) !== undefined) {
    // Names outside the harness are valid when some card (filtered out or not) has a result for them.
    for (const model of await searchAll(catalog, {})) for (const result of model.benchmarks) known.add(result.benchmark);
    const unknown = unknownOf(benchmarks);
    if (unknown !== undefined) throw invalidRequest(`Unknown benchmark '${unknown}' in 'benchmarks'. Known benchmarks: ${[...known].sort().join(', ')}.`, 'benchmarks', 'unknown_benchmark');
  }
  const sort = query.sort ?? benchmarks[0] ?? 'gsm8k';
  if (!benchmarks.includes(sort)) throw invalidRequest(`'sort' must be one of the listed benchmarks (${benchmarks.join(', ')}), not '${sort}'.`, 'sort', 'unknown_benchmark');
  const rows = models
    .map((model) => ({ model, scores: Object.fromEntries(benchmarks.map((benchmark) => [benchmark, cell(model, benchmark)])) }))
    .filter((row) => Object.values(row.scores).some((entry) => entry.measured !== null || entry.published !== null));
  // Measured first, published where nothing was measured; models with neither go last.
  const key = (scores: Record<string, LeaderboardCell>) => scores[sort]?.measured?.score ?? scores[sort]?.published?.score;
  const descending = (query.order ?? 'desc') === 'desc';
  rows.sort((left, right) => {
    const a = key(left.scores);
    const b = key(right.scores);
    if (a === undefined || b === undefined) {
      if (a !== b) return a === undefined ? 1 : -1;
    } else if (a !== b) return descending ? b - a : a - b;
    return left.model.id < right.model.id ? -1 : left.model.id > right.model.id ? 1 : 0;
  });
  let start = 0;
  if (query.cursor !== undefined) {
    const after = decodeCursor(query.cursor);
    const index = rows.findIndex((row) => row.model.id === after);
    if (index < 0) throw invalidRequest('Invalid cursor: its model is no longer in these results; start again without a cursor.', 'cursor', 'invalid_cursor');
    start = index + 1;
  }
  const limit = query.limit ?? 20;
  const page = rows.slice(start, start + limit);
  const hasMore = start + limit < rows.length;
  const last = page[page.length - 1];
  return {
    object: 'leaderboard',
    benchmarks,
    sort,
    data: page.map(({ model, scores }) => ({
      model: { id: model.id, name: model.name, vendor: model.vendor, open_weights: model.open_weights, mof_class: model.mof_class, price: model.price, license: model.license.id },
      scores,
    })),
    has_more: hasMore,
    next_cursor: hasMore && last !== undefined ? encodeCursor(last.model.id) : null,
  };
}
