// Ratings and reviews: 1-5 stars with an optional review, only from someone who has used the GPT
// (a usage ledger row for it with their user or key), one per rater (a second rating replaces the
// first); reviews newest first, and the summary (average, count, histogram).
import { z } from 'zod';
import type { Principal } from '../../accounts/index.js';
import { permissionDenied, systemClock, type Clock } from '../../core/index.js';
import { averageOf, decodeCursor, encodeCursor, findViewableGpt, raterIdOf, toCount, type StoreKysely } from './gpt-store-access.js';
import { parseStoreQuery } from './gpt-store-query.js';
import { pageQuerySchema, ratingInputSchema, type PageQuery, type RatingInput, type RatingSummary, type StorePage, type StoreReview } from './gpt-store-records.js';

const reviewCursor = z.tuple([z.string(), z.string()]);

export interface RatingResult {
  readonly object: 'store.gpt.rating';
  readonly gpt_slug: string;
  readonly stars: number;
  readonly review: string | null;
  /** True when this replaced the rater's earlier rating. */
  readonly updated: boolean;
  readonly created_at: string;
  readonly updated_at: string;
  readonly summary: RatingSummary;
}

export async function ratingSummaryOf(kysely: StoreKysely, gptId: string): Promise<RatingSummary> {
  const rows = await kysely
    .selectFrom('gpt_ratings')
    .select((eb) => ['stars', eb.fn.countAll().as('count')])
    .where('gpt_id', '=', gptId)
    .groupBy('stars')
    .execute();
  const histogram = { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 };
  let count = 0;
  let sum = 0;
  for (const row of rows) {
    const stars = Number(row.stars);
    const times = toCount(row.count);
    const bucket = String(stars);
    if (bucket === '1' || bucket === '2' || bucket === '3' || bucket === '4' || bucket === '5') histogram[bucket] = times;
    count += times;
    sum += stars * times;
  }
  return { average: averageOf(sum, count), count, histogram };
}

export class GptRatings {
  constructor(
    private readonly kysely: StoreKysely,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Whether the principal's user (any of its keys) or this key has called the GPT. */
  async hasUsed(gptId: string, principal: Principal): Promise<boolean> {
    const row = await this.kysely
      .selectFrom('usage_ledger')
      .select('request_id')
      .where('gpt_id', '=', gptId)
      .where((eb) => (principal.userId === null ? eb('key_id', '=', principal.keyId) : eb.or([eb('key_id', '=', principal.keyId), eb('user_id', '=', principal.userId)])))
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Rates (or re-rates) a GPT the caller may see; 403 `gpt_not_used` when the caller never called it. */
  async rate(slug: string, input: RatingInput | unknown, principal: Principal): Promise<RatingResult> {
    const rating = parseStoreQuery(ratingInputSchema, input);
    const gpt = await findViewableGpt(this.kysely, slug, principal);
    if (!(await this.hasUsed(gpt.id, principal))) {
      throw permissionDenied(`Only someone who has used the GPT ${JSON.stringify(slug)} may rate it; call it first with model "gpt:${slug}".`, 'gpt_not_used');
    }
    const raterId = raterIdOf(principal);
    const now = this.clock.now().toISOString();
    const review = rating.review === undefined || rating.review === null || rating.review === '' ? null : rating.review;
    const existing = await this.kysely.selectFrom('gpt_ratings').select('created_at').where('gpt_id', '=', gpt.id).where('rater_id', '=', raterId).executeTakeFirst();
    await this.kysely
      .insertInto('gpt_ratings')
      .values({ gpt_id: gpt.id, rater_id: raterId, organisation_id: principal.organisationId, key_id: principal.keyId, stars: rating.stars, review, created_at: now, updated_at: now })
      .onConflict((conflict) => conflict.columns(['gpt_id', 'rater_id']).doUpdateSet({ stars: rating.stars, review, key_id: principal.keyId, organisation_id: principal.organisationId, updated_at: now }))
      .execute();
    return {
      object: 'store.gpt.rating',
      gpt_slug: gpt.slug,
      stars: rating.stars,
      review,
      updated: existing !== undefined,
      created_at: existing?.created_at ?? now,
      updated_at: now,
      summary: await ratingSummaryOf(this.kysely, gpt.id),
    };
  }

  /** Ratings and reviews of a GPT the caller may see, newest first, with the summary; reviewers' names only to their own organisation. */
  async reviews(slug: string, input: PageQuery | Record<string, unknown>, principal?: Principal): Promise<StorePage<StoreReview> & { readonly summary: RatingSummary }> {
    const query = parseStoreQuery(pageQuerySchema, input);
    const gpt = await findViewableGpt(this.kysely, slug, principal);
    let statement = this.kysely
      .selectFrom('gpt_ratings')
      .leftJoin('users', 'users.id', 'gpt_ratings.rater_id')
      .select(['gpt_ratings.rater_id', 'gpt_ratings.organisation_id', 'gpt_ratings.stars', 'gpt_ratings.review', 'gpt_ratings.created_at', 'gpt_ratings.updated_at', 'users.name as author_name'])
      .where('gpt_ratings.gpt_id', '=', gpt.id);
    if (query.cursor !== undefined) {
      const [updatedAt, raterId] = decodeCursor(query.cursor, reviewCursor);
      statement = statement.where((eb) =>
        eb.or([eb('gpt_ratings.updated_at', '<', updatedAt), eb.and([eb('gpt_ratings.updated_at', '=', updatedAt), eb('gpt_ratings.rater_id', '>', raterId)])]),
      );
    }
    const rows = await statement.orderBy('gpt_ratings.updated_at', 'desc').orderBy('gpt_ratings.rater_id').limit(query.limit + 1).execute();
    const page = rows.slice(0, query.limit);
    const hasMore = rows.length > query.limit;
    const last = page[page.length - 1];
    return {
      object: 'list',
      data: page.map((row) => ({
        object: 'store.gpt.review' as const,
        stars: Number(row.stars),
        review: row.review,
        // A person's name stays inside their organisation: other tenants and anonymous readers see none.
        author_name: principal !== undefined && (principal.role === 'admin' || principal.organisationId === row.organisation_id) ? (row.author_name ?? null) : null,
        created_at: row.created_at,
        updated_at: row.updated_at,
      })),
      has_more: hasMore,
      next_cursor: hasMore && last !== undefined ? encodeCursor([last.updated_at, last.rater_id]) : null,
      summary: await ratingSummaryOf(this.kysely, gpt.id),
    };
  }
}
