// The store's shelves: GPTs a caller may see, searched and sorted (trending by calls over the last
// 7 days, top rated by a Bayesian average, new, featured), in keyset pages; categories with counts;
// one GPT's page. Sorting happens in SQL, so a page costs the same however large the store grows.
import { sql, type Expression, type SqlBool } from 'kysely';
import { z } from 'zod';
import type { Principal } from '../../accounts/index.js';
import { systemClock, type Clock } from '../../core/index.js';
import { parseStoreQuery } from './gpt-store-query.js';
import { averageOf, decodeCursor, encodeCursor, findGptBySlug, findViewableGpt, firstStepPattern, invalidCursor, isEditorOf, listableTo, listedInStore, lowerContains, toCount, type StoreKysely } from './gpt-store-access.js';
import { listingQuerySchema, type ListingQuery, type RatingSummary, type StoreGptItem, type StorePage, type StoreSort } from './gpt-store-records.js';
import { ratingSummaryOf } from './gpt-ratings.js';

const dayMilliseconds = 86_400_000;

/**
 * Top rated ranks by (priorWeight × priorStars + sum of stars) / (priorWeight + count): every GPT
 * starts as if it had `priorWeight` ratings of `priorStars`, so one five-star rating does not
 * outrank a hundred that average four and a half.
 */
export interface RatingPrior {
  readonly stars: number;
  readonly weight: number;
}
export const defaultRatingPrior: RatingPrior = { stars: 3, weight: 5 };

export interface StoreGptDetail extends StoreGptItem {
  readonly conversation_starters: readonly string[];
  readonly rating_summary: RatingSummary;
  /** Whether the caller edits this GPT (its creator, its organisation's owners and admins, installation admins). */
  readonly editable: boolean;
  /** Hidden by moderation; only editors ever see a hidden GPT's page. */
  readonly hidden: boolean;
  /** What the latest published version may use (knowledge, actions); null before the first publication. */
  readonly capabilities: { readonly knowledge: boolean; readonly actions: boolean } | null;
}

const publishedCapabilitiesSchema = z.object({ capabilities: z.object({ knowledge: z.boolean(), actions: z.boolean() }) });

const trendingCursor = z.tuple([z.literal('trending'), z.number().int().nonnegative(), z.string()]);
const topRatedCursor = z.tuple([z.literal('top_rated'), z.number().int().nonnegative(), z.number().int().positive(), z.string()]);
const timeCursor = z.tuple([z.enum(['new', 'featured']), z.string(), z.string()]);
const starterListSchema = z.array(z.string());

interface ListedRow {
  id: string;
  slug: string;
  name: string;
  description: string;
  avatar_url: string | null;
  category: string | null;
  base_model: string;
  visibility: string;
  latest_version: number | null;
  published_at: string | null;
  featured_at: string | null;
  organisation_id: string;
  rating_count: unknown;
  rating_sum: unknown;
  calls_last_7_days: unknown;
  builder_name: string | null;
  builder_verified: unknown;
}

export class GptStoreListing {
  constructor(
    private readonly kysely: StoreKysely,
    private readonly clock: Clock = systemClock,
    private readonly prior: RatingPrior = defaultRatingPrior,
  ) {}

  private baseQuery(principal: Principal | undefined) {
    const since = new Date(this.clock.now().getTime() - 7 * dayMilliseconds).toISOString();
    const ratings = this.kysely
      .selectFrom('gpt_ratings')
      .select((eb) => ['gpt_id', eb.fn.countAll().as('rating_count'), eb.fn.sum('stars').as('rating_sum')])
      .groupBy('gpt_id');
    // A call is its first model step (`<request id>.s1`; later steps and tool calls add rows of their
    // own) that answered: retries of the loop and calls that failed upstream do not make a GPT trend.
    const calls = this.kysely
      .selectFrom('usage_ledger')
      .select((eb) => ['gpt_id', eb.fn.countAll().as('calls')])
      .where('gpt_id', 'is not', null)
      .where('created_at', '>=', since)
      .where('request_id', 'like', firstStepPattern)
      .where('status', '=', 'ok')
      .groupBy('gpt_id');
    return this.kysely
      .selectFrom('gpts')
      .leftJoin(ratings.as('ratings'), 'ratings.gpt_id', 'gpts.id')
      .leftJoin(calls.as('calls'), 'calls.gpt_id', 'gpts.id')
      .leftJoin('builder_profiles', 'builder_profiles.organisation_id', 'gpts.organisation_id')
      .leftJoin('organisations', 'organisations.id', 'gpts.organisation_id')
      .where((eb) => eb.and([listedInStore(eb), listableTo(eb, principal)]))
      .select((eb) => [
        'gpts.id',
        'gpts.slug',
        'gpts.name',
        'gpts.description',
        'gpts.avatar_url',
        'gpts.category',
        'gpts.base_model',
        'gpts.visibility',
        'gpts.latest_version',
        'gpts.published_at',
        'gpts.featured_at',
        'gpts.organisation_id',
        eb.fn.coalesce('ratings.rating_count', sql.lit(0)).as('rating_count'),
        eb.fn.coalesce('ratings.rating_sum', sql.lit(0)).as('rating_sum'),
        eb.fn.coalesce('calls.calls', sql.lit(0)).as('calls_last_7_days'),
        eb.fn.coalesce('builder_profiles.display_name', 'organisations.name').as('builder_name'),
        eb
          .exists(eb.selectFrom('builder_domains').select('builder_domains.domain').whereRef('builder_domains.organisation_id', '=', 'gpts.organisation_id').where('builder_domains.verified_at', 'is not', null))
          .as('builder_verified'),
      ]);
  }

  /** One page of the GPTs the caller may see; anonymous callers see public GPTs only. */
  async list(input: ListingQuery | Record<string, unknown>, principal?: Principal): Promise<StorePage<StoreGptItem>> {
    const query = parseStoreQuery(listingQuerySchema, input);
    const callsExpression = sql<number>`coalesce(${sql.ref('calls.calls')}, 0)`;
    const ratingNumerator = sql<number>`(${sql.lit(this.prior.weight * this.prior.stars)} + coalesce(${sql.ref('ratings.rating_sum')}, 0))`;
    const ratingDenominator = sql<number>`(${sql.lit(this.prior.weight)} + coalesce(${sql.ref('ratings.rating_count')}, 0))`;
    let statement = this.baseQuery(principal);
    if (query.q !== undefined && query.q !== '') {
      const text = query.q;
      statement = statement.where((eb) => eb.or([lowerContains('gpts.name', text), lowerContains('gpts.description', text), lowerContains('gpts.category', text)]));
    }
    if (query.category !== undefined) statement = statement.where(sql<SqlBool>`lower(${sql.ref('gpts.category')}) = ${query.category.toLowerCase()}`);
    statement = this.ordered(statement, query.sort, query.cursor, { callsExpression, ratingNumerator, ratingDenominator });
    const rows = (await statement.limit(query.limit + 1).execute()) as ListedRow[];
    const page = rows.slice(0, query.limit);
    const hasMore = rows.length > query.limit;
    const last = page[page.length - 1];
    return {
      object: 'list',
      data: page.map(toItem),
      has_more: hasMore,
      next_cursor: hasMore && last !== undefined ? this.cursorAfter(query.sort, last) : null,
    };
  }

  private ordered<Statement extends ReturnType<GptStoreListing['baseQuery']>>(
    statement: Statement,
    sort: StoreSort,
    cursor: string | undefined,
    expressions: { callsExpression: Expression<number>; ratingNumerator: Expression<number>; ratingDenominator: Expression<number> },
  ): Statement {
    const { callsExpression, ratingNumerator, ratingDenominator } = expressions;
    let ordered = statement;
    if (sort === 'trending') {
      if (cursor !== undefined) {
        const [, calls, id] = decodeCursor(cursor, trendingCursor);
        ordered = ordered.where(sql<SqlBool>`(${callsExpression} < ${sql.lit(calls)} or (${callsExpression} = ${sql.lit(calls)} and ${sql.ref('gpts.id')} > ${id}))`) as Statement;
      }
      return ordered.orderBy(callsExpression, 'desc').orderBy('gpts.id') as Statement;
    }
    if (sort === 'top_rated') {
      if (cursor !== undefined) {
        // Compared as fractions in whole numbers, so the page boundary is exact on both dialects.
        const [, numerator, denominator, id] = decodeCursor(cursor, topRatedCursor);
        const left = sql`${ratingNumerator} * ${sql.lit(denominator)}`;
        const right = sql`${sql.lit(numerator)} * ${ratingDenominator}`;
        ordered = ordered.where(sql<SqlBool>`(${left} < ${right} or (${left} = ${right} and ${sql.ref('gpts.id')} > ${id}))`) as Statement;
      }
      return ordered.orderBy(sql`${ratingNumerator} * 1.0 / ${ratingDenominator}`, 'desc').orderBy('gpts.id') as Statement;
    }
    const column = sort === 'new' ? 'gpts.published_at' : 'gpts.featured_at';
    if (sort === 'featured') ordered = ordered.where('gpts.featured_at', 'is not', null) as Statement;
    if (cursor !== undefined) {
      const [cursorSort, time, id] = decodeCursor(cursor, timeCursor);
      if (cursorSort !== sort) throw invalidCursor();
      ordered = ordered.where((eb) => eb.or([eb(column, '<', time), eb.and([eb(column, '=', time), eb('gpts.id', '>', id)])])) as Statement;
    }
    return ordered.orderBy(column, 'desc').orderBy('gpts.id') as Statement;
  }

  private cursorAfter(sort: StoreSort, row: ListedRow): string {
    if (sort === 'trending') return encodeCursor(['trending', toCount(row.calls_last_7_days), row.id]);
    if (sort === 'top_rated') {
      return encodeCursor(['top_rated', this.prior.weight * this.prior.stars + toCount(row.rating_sum), this.prior.weight + toCount(row.rating_count), row.id]);
    }
    return encodeCursor([sort, (sort === 'new' ? row.published_at : row.featured_at) ?? '', row.id]);
  }

  /** A builder's public GPTs for its profile page, trending first (at most 100). */
  async publicGptsOf(organisationId: string): Promise<readonly StoreGptItem[]> {
    const rows = (await this.baseQuery(undefined)
      .where('gpts.organisation_id', '=', organisationId)
      .orderBy(sql`coalesce(${sql.ref('calls.calls')}, 0)`, 'desc')
      .orderBy('gpts.id')
      .limit(100)
      .execute()) as ListedRow[];
    return rows.map(toItem);
  }

  /** Categories of the GPTs the caller may see, most populated first. */
  async categories(principal?: Principal): Promise<{ readonly object: 'list'; readonly data: readonly { readonly object: 'store.gpt.category'; readonly category: string; readonly count: number }[] }> {
    const rows = await this.kysely
      .selectFrom('gpts')
      .where((eb) => eb.and([listedInStore(eb), listableTo(eb, principal), eb('gpts.category', 'is not', null)]))
      .select((eb) => ['gpts.category', eb.fn.countAll().as('count')])
      .groupBy('gpts.category')
      .execute();
    const data = rows
      .map((row) => ({ object: 'store.gpt.category' as const, category: row.category ?? '', count: toCount(row.count) }))
      .sort((left, right) => right.count - left.count || left.category.localeCompare(right.category));
    return { object: 'list', data };
  }

  /**
   * One GPT's store page; 404 when the caller may not see it (another tenant's GPT does not exist
   * for it). Its editors also see it unpublished or hidden.
   */
  async get(slug: string, principal?: Principal): Promise<StoreGptDetail> {
    const candidate = await findGptBySlug(this.kysely, slug);
    const editable = candidate !== undefined && principal !== undefined && isEditorOf(candidate, principal);
    const gpt = editable ? candidate : await findViewableGpt(this.kysely, slug, principal);
    // The listing query with the viewer's rights would drop 'link' GPTs; read this one by id instead.
    const row = (await this.baseQuery(undefined)
      .clearWhere()
      .where('gpts.id', '=', gpt.id)
      .executeTakeFirstOrThrow()) as ListedRow;
    const starters = starterListSchema.safeParse(parseJson(gpt.conversation_starters));
    return {
      ...toItem(row),
      conversation_starters: starters.success ? starters.data : [],
      rating_summary: await ratingSummaryOf(this.kysely, gpt.id),
      editable,
      hidden: gpt.hidden_at !== null,
      capabilities: await this.publishedCapabilities(gpt.id, row.latest_version),
    };
  }

  private async publishedCapabilities(gptId: string, version: number | string | null): Promise<StoreGptDetail['capabilities']> {
    if (version === null) return null;
    const published = await this.kysely.selectFrom('gpt_versions').select('definition').where('gpt_id', '=', gptId).where('version', '=', Number(version)).executeTakeFirst();
    const parsed = publishedCapabilitiesSchema.safeParse(published === undefined ? undefined : parseJson(published.definition));
    return parsed.success ? parsed.data.capabilities : null;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function toItem(row: ListedRow): StoreGptItem {
  const count = toCount(row.rating_count);
  return {
    object: 'store.gpt',
    id: row.id,
    slug: row.slug,
    name: row.name,
    description: row.description,
    avatar_url: row.avatar_url,
    category: row.category,
    base_model: row.base_model,
    visibility: row.visibility,
    latest_version: row.latest_version === null ? null : Number(row.latest_version),
    published_at: row.published_at,
    rating: { average: averageOf(toCount(row.rating_sum), count), count },
    calls_last_7_days: toCount(row.calls_last_7_days),
    featured: row.featured_at !== null,
    builder: { organisation_id: row.organisation_id, name: row.builder_name ?? row.organisation_id, verified: row.builder_verified === true || toCount(row.builder_verified) === 1 },
  };
}
