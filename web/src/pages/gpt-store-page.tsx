// The GPT store: search, a category, trending / top rated / new / featured, and keyset pages of
// GPT cards. Every filter and the page live in the address, so a search can be bookmarked.
import { useState, type FormEvent } from 'react';
import { gptSorts, type GptCategoryCount, type StoreGpt, type StorePage } from '../api/gpt-types';
import { hrefFor } from '../app/router';
import { useApp } from '../app/app-context';
import { ErrorNotice, Loading } from '../components/error-notice';
import { Link } from '../components/link';
import { PageControls } from '../components/pagination';
import { useApiData } from '../components/use-api-data';
import { GptAvatar, categoryLabel } from './gpt-shared';
import { gptListingQuery, gptStoreSearch, nextPage, parseGptStoreFilters, previousPage, withFilter, type GptStoreFilters } from './gpt-store-logic';
import './gpt-pages.css';

function GptCard({ gpt }: { readonly gpt: StoreGpt }) {
  const { t, format } = useApp();
  return (
    <li className="card gpt-card">
      <div className="gpt-card-head">
        <GptAvatar name={gpt.name} url={gpt.avatar_url} />
        <h2>
          <Link href={hrefFor('gpt', { slug: gpt.slug })}>{gpt.name}</Link>
        </h2>
        {gpt.featured ? <span className="badge badge-good">★ {t('gpts.featured')}</span> : null}
      </div>
      <p>{gpt.description}</p>
      <dl>
        <dt>{t('gpts.categoryLabel')}</dt>
        <dd>{categoryLabel(t, gpt.category)}</dd>
        <dt>{t('gpts.rating')}</dt>
        <dd>{gpt.rating.average === null ? t('gpts.noRatings') : t('gpts.ratingValue', { average: format.number(gpt.rating.average, 1), count: format.number(gpt.rating.count) })}</dd>
        <dt>{t('gpts.creator')}</dt>
        <dd>
          {gpt.builder.name}
          {gpt.builder.verified ? <span className="badge badge-good"> ✓ {t('gpts.verifiedBuilder')}</span> : null}
        </dd>
        <dt>{t('gpts.baseModel')}</dt>
        <dd>{gpt.base_model}</dd>
      </dl>
    </li>
  );
}

export default function GptStorePage() {
  const { t, client, identity, location, navigate } = useApp();
  const filters = parseGptStoreFilters(location.search);
  const [query, setQuery] = useState(filters.q);
  const [shownSearch, setShownSearch] = useState(location.search);
  // Back and forward change the address, not the search box: bring the box back in line.
  if (shownSearch !== location.search) {
    setShownSearch(location.search);
    setQuery(filters.q);
  }
  const go = (next: GptStoreFilters) => navigate(hrefFor('gpt-store', {}, gptStoreSearch(next)));
  const results = useApiData((signal) => client.get<StorePage<StoreGpt>>('/store/v1/gpts', gptListingQuery(filters), signal), [location.search, identity]);
  const categories = useApiData((signal) => client.get<StorePage<GptCategoryCount>>('/store/v1/gpts/categories', {}, signal), [identity]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    go(withFilter(filters, { q: query }));
  };

  return (
    <section aria-labelledby="gpt-store-title">
      <div className="gpt-title-row">
        <h1 id="gpt-store-title">{t('gpts.store.title')}</h1>
        {identity === null ? null : (
          <Link className="button-link" href={hrefFor('gpt-builder')}>
            {t('gpts.store.create')}
          </Link>
        )}
      </div>
      <form className="panel" role="search" onSubmit={submit} aria-label={t('gpts.store.searchForm')}>
        <div className="filters">
          <div className="field field-wide">
            <label htmlFor="gpt-search">{t('gpts.store.search')}</label>
            <input id="gpt-search" type="search" value={query} onChange={(event) => setQuery(event.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="gpt-category">{t('gpts.categoryLabel')}</label>
            <select id="gpt-category" value={filters.category} onChange={(event) => go(withFilter(filters, { category: event.target.value }))}>
              <option value="">{t('gpts.store.allCategories')}</option>
              {(categories.data?.data ?? []).map((entry) => (
                <option key={entry.category} value={entry.category}>
                  {t('gpts.store.categoryCount', { category: categoryLabel(t, entry.category), count: entry.count })}
                </option>
              ))}
              {filters.category !== '' && !(categories.data?.data ?? []).some((entry) => entry.category === filters.category) ? <option value={filters.category}>{categoryLabel(t, filters.category)}</option> : null}
            </select>
          </div>
        </div>
        <div className="actions">
          <button type="submit">{t('gpts.store.searchButton')}</button>
        </div>
      </form>
      <nav className="gpt-tabs" aria-label={t('gpts.store.sortLabel')}>
        {gptSorts.map((sort) => (
          <Link key={sort} href={hrefFor('gpt-store', {}, gptStoreSearch(withFilter(filters, { sort })))} aria-current={filters.sort === sort ? 'page' : undefined}>
            {t(`gpts.sort.${sort}`)}
          </Link>
        ))}
      </nav>
      <ErrorNotice error={results.error} />
      {results.loading ? <Loading /> : null}
      {results.data === undefined ? null : (
        <>
          <p role="status" aria-live="polite">
            {results.data.data.length === 0 ? t('gpts.store.noResults') : t('gpts.store.showing', { count: results.data.data.length })}
          </p>
          <ul className="cards" aria-label={t('gpts.store.results')}>
            {results.data.data.map((gpt) => (
              <GptCard key={gpt.id} gpt={gpt} />
            ))}
          </ul>
          <PageControls
            page={filters.cursors.length + 1}
            hasPrevious={filters.cursors.length > 0}
            hasNext={results.data.has_more && results.data.next_cursor !== null}
            onPrevious={() => go(previousPage(filters))}
            onNext={() => {
              const cursor = results.data?.next_cursor;
              if (cursor !== null && cursor !== undefined) go(nextPage(filters, cursor));
            }}
          />
        </>
      )}
    </section>
  );
}
