import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../accounts/index.js';
import { creditRevenueShare } from '../../billing/index.js';
import { ModelmartError } from '../../core/index.js';
import { testDatabaseTargets } from '../../../test/support/test-databases.js';
import type { Database } from '../../storage/index.js';
import { createStoreWorld, daysAgo, fixedNow, insertCalls, insertGpt, insertUsage, type StoreWorld } from './gpt-store-test-fixtures.js';

async function expectError(promise: Promise<unknown>, status: number, code: string, param?: string): Promise<ModelmartError> {
  const error = await promise.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(ModelmartError);
  const modelmartError = error as ModelmartError;
  expect({ status: modelmartError.status, code: modelmartError.code }).toEqual({ status, code });
  if (param !== undefined) expect(modelmartError.param).toBe(param);
  return modelmartError;
}

describe.each(testDatabaseTargets())('GPT store on $name', (target) => {
  let database: Database;
  let dispose: () => Promise<void>;
  let world: StoreWorld;
  const ids: Record<string, string> = {};

  const slugs = async (query: Record<string, unknown>, principal?: Principal) => (await world.store.listing.list(query, principal)).data.map((item) => item.slug);
  const tenantSlugs = async (principal?: Principal) => (await slugs({ limit: 100, sort: 'new' }, principal)).filter((slug) => slug.startsWith('acme-') || slug.startsWith('globex-')).sort();

  beforeAll(async () => {
    const opened = await target.open();
    database = opened.database;
    dispose = opened.dispose;
    world = await createStoreWorld(database);
    const { acme, globex } = world;
    ids.writer = await insertGpt(database, { slug: 'acme-essay-writer', name: 'Essay Writer', description: 'Drafts essays in plain English.', category: 'Writing', creator: acme.owner.principal, publishedAt: daysAgo(20) });
    ids.acmeInternal = await insertGpt(database, { slug: 'acme-internal', visibility: 'organisation', creator: acme.owner.principal, category: 'Writing' });
    ids.acmePrivate = await insertGpt(database, { slug: 'acme-private', visibility: 'private', creator: acme.member.principal });
    ids.acmeLink = await insertGpt(database, { slug: 'acme-link', visibility: 'link', creator: acme.owner.principal });
    ids.acmeDraft = await insertGpt(database, { slug: 'acme-draft', creator: acme.owner.principal, published: false });
    ids.coder = await insertGpt(database, { slug: 'globex-coder', name: 'Coder', description: 'Writes Python code with 100% test coverage.', category: 'Programming', creator: globex.owner.principal, publishedAt: daysAgo(10) });
    ids.oneHit = await insertGpt(database, { slug: 'globex-one-hit', name: 'One hit', category: 'Programming', creator: globex.owner.principal, publishedAt: daysAgo(5) });
    ids.globexInternal = await insertGpt(database, { slug: 'globex-internal', visibility: 'organisation', creator: globex.owner.principal });
    ids.globexSecret = await insertGpt(database, { slug: 'globex-secret', visibility: 'private', creator: globex.owner.principal });
    for (let index = 0; index < 7; index += 1) {
      ids[`page${index}`] = await insertGpt(database, { slug: `page-${index}`, category: 'Paging', creator: globex.service.principal, publishedAt: daysAgo(index % 3) });
    }
  });
  afterAll(async () => dispose());

  it('lists public GPTs to anyone, and organisation and own GPTs only to their organisation; another tenant\'s answers 404', async () => {
    const { acme, globex } = world;
    expect(await tenantSlugs()).toEqual(['acme-essay-writer', 'globex-coder', 'globex-one-hit']);
    expect(await tenantSlugs(acme.member.principal)).toEqual(['acme-essay-writer', 'acme-internal', 'acme-private', 'globex-coder', 'globex-one-hit']);
    // The owner sees the organisation's GPTs and its own link GPT, but not a member's private one.
    expect(await tenantSlugs(acme.owner.principal)).toEqual(['acme-essay-writer', 'acme-internal', 'acme-link', 'globex-coder', 'globex-one-hit']);
    expect(await tenantSlugs(globex.member.principal)).toEqual(['acme-essay-writer', 'globex-coder', 'globex-internal', 'globex-one-hit']);
    for (const slug of ['acme-internal', 'acme-private', 'acme-draft', 'nothing-here']) {
      await expectError(world.store.listing.get(slug, globex.owner.principal), 404, 'gpt_not_found', 'slug');
    }
    await expectError(world.store.listing.get('globex-secret', acme.owner.principal), 404, 'gpt_not_found');
    // A link GPT is listed to its creator only, but opens for whoever has its slug.
    expect(await tenantSlugs(acme.member.principal)).not.toContain('acme-link');
    const link = await world.store.listing.get('acme-link');
    expect(link).toMatchObject({ slug: 'acme-link', visibility: 'link', conversation_starters: ['Hello'], builder: { organisation_id: acme.id, name: 'Acme', verified: false } });
    expect(link.rating_summary).toEqual({ average: null, count: 0, histogram: { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 } });
    expect(link.editable).toBe(false);
    // The id names a GPT wherever a slug does.
    expect((await world.store.listing.get(ids.acmeLink ?? '')).slug).toBe('acme-link');
    // Editors open their GPT's page even unpublished; a member who did not create it does not.
    expect(await world.store.listing.get('acme-draft', acme.owner.principal)).toMatchObject({ slug: 'acme-draft', latest_version: null, editable: true, hidden: false });
    await expectError(world.store.listing.get('acme-draft', acme.member.principal), 404, 'gpt_not_found');
    expect((await world.store.listing.get('acme-private', acme.member.principal)).editable).toBe(true);
  });

  it('searches name, description and category case-insensitively, filters by category, and counts categories', async () => {
    expect(await slugs({ q: 'PYTHON' })).toEqual(['globex-coder']);
    expect(await slugs({ q: 'essay' })).toEqual(['acme-essay-writer']);
    expect(await slugs({ q: 'writing' }, world.acme.member.principal)).toEqual(expect.arrayContaining(['acme-essay-writer', 'acme-internal']));
    // LIKE wildcards in the query are literal characters.
    expect(await slugs({ q: '100%' })).toEqual(['globex-coder']);
    expect(await slugs({ q: '%' })).toEqual(['globex-coder']);
    expect(await slugs({ q: '_' })).toEqual([]);
    expect((await slugs({ category: 'programming', sort: 'new' })).sort()).toEqual(['globex-coder', 'globex-one-hit']);
    const anonymous = await world.store.listing.categories();
    expect(anonymous.data.map((entry) => [entry.category, entry.count])).toEqual([['Paging', 7], ['Programming', 2], ['Writing', 1]]);
    const acme = await world.store.listing.categories(world.acme.member.principal);
    expect(acme.data.find((entry) => entry.category === 'Writing')?.count).toBe(2);
  });

  it('orders trending by calls over the last 7 days only', async () => {
    const { acme, globex } = world;
    await insertCalls(database, ids.coder ?? '', acme.member.principal, 5, 2);
    await insertCalls(database, ids.writer ?? '', globex.member.principal, 2, 1);
    // Calls older than a week do not count.
    await insertCalls(database, ids.writer ?? '', globex.member.principal, 10, 8);
    // Nor do a call's later model steps, nor a call whose first step failed upstream.
    const call = await insertUsage(database, { gptId: ids.writer ?? '', caller: globex.member.principal });
    for (const step of ['.s2', '.s3']) await insertUsage(database, { gptId: ids.writer ?? '', caller: globex.member.principal, requestId: call.replace(/\.s1$/, step) });
    await insertUsage(database, { gptId: ids.writer ?? '', caller: globex.member.principal, status: 'error' });
    const page = await world.store.listing.list({ sort: 'trending', limit: 3 });
    expect(page.data.map((item) => [item.slug, item.calls_last_7_days])).toEqual([['globex-coder', 5], ['acme-essay-writer', 3], ['globex-one-hit', 0]]);
  });

  it('ranks top rated by a Bayesian average: one five-star rating does not beat a hundred that average 4.5', async () => {
    const rating = (gptId: string, raterId: string, stars: number) => ({ gpt_id: gptId, rater_id: raterId, organisation_id: world.acme.id, key_id: 'key_fixture', stars, review: null, created_at: fixedNow, updated_at: fixedNow });
    const hundred = Array.from({ length: 100 }, (_, index) => rating(ids.coder ?? '', `user_${index}`, index % 2 === 0 ? 4 : 5));
    await database.kysely.insertInto('gpt_ratings').values(hundred).execute();
    await database.kysely.insertInto('gpt_ratings').values(rating(ids.oneHit ?? '', 'user_fan', 5)).execute();
    const page = await world.store.listing.list({ sort: 'top_rated', category: 'programming' });
    expect(page.data.map((item) => [item.slug, item.rating])).toEqual([
      ['globex-coder', { average: 4.5, count: 100 }],
      ['globex-one-hit', { average: 5, count: 1 }],
    ]);
  });

  it('pages every sort with an opaque cursor: no GPT twice, none left out, same order as one page', async () => {
    const { globex } = world;
    await insertCalls(database, ids.page3 ?? '', globex.member.principal, 3);
    await insertCalls(database, ids.page5 ?? '', globex.member.principal, 3);
    await insertCalls(database, ids.page1 ?? '', globex.member.principal, 1);
    for (const sort of ['trending', 'top_rated', 'new'] as const) {
      const whole = await slugs({ category: 'Paging', sort, limit: 100 });
      expect(whole).toHaveLength(7);
      const paged: string[] = [];
      let cursor: string | undefined;
      for (let pages = 0; pages < 10; pages += 1) {
        const page = await world.store.listing.list({ category: 'Paging', sort, limit: 2, ...(cursor === undefined ? {} : { cursor }) });
        paged.push(...page.data.map((item) => item.slug));
        if (!page.has_more) {
          expect(page.next_cursor).toBeNull();
          break;
        }
        cursor = page.next_cursor ?? undefined;
      }
      expect(paged, sort).toEqual(whole);
    }
    expect((await slugs({ category: 'Paging', sort: 'trending', limit: 3 })).slice(0, 2).sort()).toEqual(['page-3', 'page-5']);
  });

  it('answers 400 naming the parameter for a bad sort, limit, cursor or an unknown parameter', async () => {
    await expectError(world.store.listing.list({ sort: 'popular' }), 400, 'invalid_request', 'sort');
    await expectError(world.store.listing.list({ limit: '0' }), 400, 'invalid_request', 'limit');
    await expectError(world.store.listing.list({ limit: '101' }), 400, 'invalid_request', 'limit');
    await expectError(world.store.listing.list({ limit: 'ten' }), 400, 'invalid_request', 'limit');
    await expectError(world.store.listing.list({ cursor: 'not-a-cursor' }), 400, 'invalid_cursor', 'cursor');
    const trending = await world.store.listing.list({ category: 'Paging', limit: 1 });
    await expectError(world.store.listing.list({ sort: 'new', cursor: trending.next_cursor ?? '' }), 400, 'invalid_cursor', 'cursor');
    await expectError(world.store.listing.list({ order: 'asc' }), 400, 'unknown_parameter', 'order');
  });

  it('takes ratings only from someone who used the GPT; a second rating replaces the first', async () => {
    const { acme, globex } = world;
    const writer = 'acme-essay-writer';
    const refused = await expectError(world.store.ratings.rate(writer, { stars: 5 }, acme.member.principal), 403, 'gpt_not_used');
    expect(refused.message).toContain('gpt:acme-essay-writer');
    await expectError(world.store.ratings.rate(writer, { stars: 6 }, acme.member.principal), 400, 'invalid_request', 'stars');
    await expectError(world.store.ratings.rate(writer, { stars: 4, review: 'x'.repeat(2_001) }, acme.member.principal), 400, 'invalid_request', 'review');
    await expectError(world.store.ratings.rate('globex-internal', { stars: 4 }, acme.member.principal), 404, 'gpt_not_found');

    await insertUsage(database, { gptId: ids.writer ?? '', caller: acme.member.principal });
    const first = await world.store.ratings.rate(writer, { stars: 4, review: 'Good drafts.' }, acme.member.principal);
    expect(first).toMatchObject({ stars: 4, review: 'Good drafts.', updated: false, summary: { average: 4, count: 1 } });
    const second = await world.store.ratings.rate(writer, { stars: 2 }, acme.member.principal);
    expect(second).toMatchObject({ stars: 2, review: null, updated: true, created_at: first.created_at, summary: { average: 2, count: 1, histogram: { '2': 1, '4': 0 } } });

    // A key without a user rates as itself; globex's member used it earlier (trending test).
    await insertUsage(database, { gptId: ids.writer ?? '', caller: globex.service.principal });
    await world.store.ratings.rate(writer, { stars: 5, review: 'Fast.' }, globex.service.principal);
    await world.store.ratings.rate(writer, { stars: 3 }, globex.member.principal);
    const reviews = await world.store.ratings.reviews(writer, { limit: 2 });
    expect(reviews.summary).toEqual({ average: 3.33, count: 3, histogram: { '1': 0, '2': 1, '3': 1, '4': 0, '5': 1 } });
    expect(reviews.has_more).toBe(true);
    const rest = await world.store.ratings.reviews(writer, { limit: 2, cursor: reviews.next_cursor ?? '' });
    const all = [...reviews.data, ...rest.data];
    expect(all.map((review) => review.stars).sort()).toEqual([2, 3, 5]);
    expect(all.find((review) => review.stars === 2)?.author_name).toBeNull();
    const seenByAcme = await world.store.ratings.reviews(writer, { limit: 10 }, acme.owner.principal);
    expect(seenByAcme.data.map((review) => [review.stars, review.author_name])).toEqual(expect.arrayContaining([[2, 'Acme Member'], [3, null], [5, null]]));
    expect(all.find((review) => review.stars === 5)).toMatchObject({ author_name: null, review: 'Fast.' });
    const listed = await world.store.listing.list({ q: 'essay' });
    expect(listed.data[0]?.rating).toEqual({ average: 3.33, count: 3 });
  });

  it('reports, hides (resolving the reports), drops the GPT from listings, restores it, and features it', async () => {
    const { acme, globex, admin } = world;
    const report = await world.store.moderation.report('acme-essay-writer', { reason: 'spam', details: 'Advertises a casino.' }, globex.member.principal);
    expect(report).toMatchObject({ status: 'open', reason: 'spam', gpt_slug: 'acme-essay-writer', reporter_organisation_id: globex.id });
    await expectError(world.store.moderation.report('acme-essay-writer', { reason: 'boring' }, globex.member.principal), 400, 'invalid_request', 'reason');
    await expectError(world.store.moderation.reports({ status: 'open' }, acme.owner.principal), 403, 'permission_denied');
    const queue = await world.store.moderation.reports({ status: 'open' }, admin.principal);
    expect(queue.data.map((entry) => entry.id)).toEqual([report.id]);

    const hidden = await world.store.moderation.hide('acme-essay-writer', 'Spam, reported and confirmed.', admin.principal);
    expect(hidden).toMatchObject({ before: { hidden: false }, after: { hidden: true, hidden_reason: 'Spam, reported and confirmed.' }, resolvedReports: 1 });
    expect(await slugs({ limit: 100 })).not.toContain('acme-essay-writer');
    expect(await slugs({ limit: 100 }, acme.owner.principal)).not.toContain('acme-essay-writer');
    await expectError(world.store.listing.get('acme-essay-writer', acme.member.principal), 404, 'gpt_not_found');
    await expectError(world.store.listing.get('acme-essay-writer', globex.member.principal), 404, 'gpt_not_found');
    // Its editors still open its page, marked hidden.
    expect(await world.store.listing.get('acme-essay-writer', acme.owner.principal)).toMatchObject({ editable: true, hidden: true });
    expect((await world.store.moderation.reports({ status: 'open' }, admin.principal)).data).toEqual([]);
    const resolved = (await world.store.moderation.reports({ status: 'resolved' }, admin.principal)).data[0];
    expect(resolved).toMatchObject({ id: report.id, status: 'resolved', resolution: 'hidden: Spam, reported and confirmed.', resolved_by: admin.principal.keyId });

    await world.store.moderation.restore('acme-essay-writer', admin.principal);
    expect(await slugs({ limit: 100 })).toContain('acme-essay-writer');

    await world.store.moderation.feature('page-2', admin.principal);
    await world.store.moderation.feature('globex-coder', admin.principal);
    const featured = await world.store.listing.list({ sort: 'featured' });
    expect(featured.data.map((item) => [item.slug, item.featured])).toEqual([['globex-coder', true], ['page-2', true]].sort((left, right) => String(left[0]).localeCompare(String(right[0]))));
    await world.store.moderation.unfeature('page-2', admin.principal);
    expect(await slugs({ sort: 'featured' })).toEqual(['globex-coder']);
    await expectError(world.store.moderation.hide('nothing-here', 'x', admin.principal), 404, 'gpt_not_found');
  });

  it("shows editors a GPT's calls, tokens, spend and callers per day, its ratings and the creator's earnings", async () => {
    const { acme, globex, admin } = world;
    // Two paid calls with their revenue-share transactions (70 % to Acme); one for another Acme GPT must not count.
    const earn = async (gptId: string, cost: number, createdAt: string) => {
      const requestId = `req_earn_${gptId}_${cost}.s1`;
      const result = await database.kysely.transaction().execute(async (transaction) =>
        creditRevenueShare(transaction, { requestId, callerOrganisationId: globex.id, creatorOrganisationId: acme.id, amount: cost, currency: 'USD', shareBasisPoints: 7_000, createdAt }),
      );
      await insertUsage(database, { gptId, caller: globex.owner.principal, cost, createdAt, requestId, transactionId: result?.transactionId ?? null });
    };
    await earn(ids.writer ?? '', 10_001, daysAgo(3));
    await earn(ids.writer ?? '', 5_000, daysAgo(40));
    await earn(ids.acmeLink ?? '', 9_999, daysAgo(2));

    const stats = await world.store.statistics.stats('acme-essay-writer', acme.owner.principal);
    expect(stats.days).toHaveLength(30);
    expect(stats.days[29]?.day).toBe(fixedNow.slice(0, 10));
    const threeDaysAgo = stats.days.find((day) => day.day === daysAgo(3).slice(0, 10));
    expect(threeDaysAgo).toMatchObject({ calls: 1, prompt_tokens: 100, completion_tokens: 50, total_tokens: 150, spend: { USD: 10_001 } });
    // Calls (first model steps) of the last 30 days: 2 + 10 + 1 + 1 failed (trending; the second call's two later steps are not calls), 1 + 1 (ratings), 1 paid.
    expect(stats.totals.calls).toBe(17);
    expect(stats.totals.distinct_callers).toBe(4);
    expect(stats.rating.count).toBe(3);
    expect(stats.earnings.last_30_days).toEqual({ USD: 7_000 });
    expect(stats.earnings.all_time).toEqual({ USD: 7_000 + 3_500 });

    expect((await world.store.statistics.stats('acme-essay-writer', admin.principal)).totals.calls).toBe(17);
    await expectError(world.store.statistics.stats('acme-essay-writer', acme.member.principal), 403, 'permission_denied');
    await expectError(world.store.statistics.stats('acme-essay-writer', globex.owner.principal), 403, 'permission_denied');
    await expectError(world.store.statistics.stats('acme-internal', globex.owner.principal), 404, 'gpt_not_found');
    // The creator of a private GPT sees its numbers; the organisation's owner does too.
    expect((await world.store.statistics.stats('acme-private', acme.member.principal)).totals.calls).toBe(0);
    expect((await world.store.statistics.stats('acme-private', acme.owner.principal)).gpt.slug).toBe('acme-private');
  });
});
