// The model store: search and filters (kept in the address, so a search can be shared),
// sort, and pages of result cards with price, context, licence, openness and best scores.
import { useState, type FormEvent } from 'react';
import type { ListPage, ModelCard } from '../api/api-types';
import { buildStoreApiQuery, deploymentKinds, industries, modalities, parseStoreFilters, sortChoices, storeFiltersToSearch, type StoreFilterName, type StoreFilters } from '../api/store-query';
import { useApp } from '../app/app-context';
import { ErrorNotice, Loading } from '../components/error-notice';
import { Link } from '../components/link';
import { ContextText, LicenseBadge, MofBadge, OpenWeightsBadge, PriceText } from '../components/model-badges';
import { PageControls } from '../components/pagination';
import { useApiData } from '../components/use-api-data';

const pageSize = 12;

function bestScores(card: ModelCard): { benchmark: string; score: number }[] {
  const best = new Map<string, number>();
  for (const result of card.benchmarks) best.set(result.benchmark, Math.max(best.get(result.benchmark) ?? Number.NEGATIVE_INFINITY, result.score));
  return [...best.entries()].map(([benchmark, score]) => ({ benchmark, score })).slice(0, 4);
}

function ModelResultCard({ card }: { readonly card: ModelCard }) {
  const { t, format } = useApp();
  return (
    <li className="card">
      <h3>
        <Link href={`/models/${encodeURIComponent(card.id)}`}>{card.name}</Link>
      </h3>
      <p className="muted">
        {card.vendor} · {format.date(card.release_date)}
      </p>
      <div className="badges">
        <LicenseBadge name={card.license.terms.name} use={card.license.terms.commercial_use} />
        <MofBadge mofClass={card.mof_class} />
        <OpenWeightsBadge open={card.open_weights} />
      </div>
      <dl className="facts">
        <dt>{t('store.price')}</dt>
        <dd>
          <PriceText price={card.price} />
        </dd>
        <dt>{t('store.context')}</dt>
        <dd>
          <ContextText tokens={card.capability.context_window} />
        </dd>
        {bestScores(card).length === 0 ? null : (
          <>
            <dt>{t('store.bestScores')}</dt>
            <dd>{bestScores(card).map((entry) => `${entry.benchmark.toUpperCase()} ${format.score(entry.score)}`).join(' · ')}</dd>
          </>
        )}
      </dl>
    </li>
  );
}

function SelectField({ name, label, value, options, onChange }: { readonly name: StoreFilterName; readonly label: string; readonly value: string; readonly options: readonly { readonly value: string; readonly label: string }[]; readonly onChange: (name: StoreFilterName, value: string) => void }) {
  return (
    <div className="field">
      <label htmlFor={`filter-${name}`}>{label}</label>
      <select id={`filter-${name}`} name={name} value={value} onChange={(event) => onChange(name, event.target.value)}>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export default function ModelStorePage() {
  const { t, client, location, navigate } = useApp();
  const applied = parseStoreFilters(location.search);
  const [draft, setDraft] = useState<StoreFilters>(applied);
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const appliedSearch = storeFiltersToSearch(applied);
  // Back and forward change the address, not the form: bring the form and the page back in line.
  const [shownSearch, setShownSearch] = useState(appliedSearch);
  if (shownSearch !== appliedSearch) {
    setShownSearch(appliedSearch);
    setDraft(applied);
    setCursors([null]);
  }
  const cursor = cursors[cursors.length - 1] ?? null;
  const results = useApiData((signal) => client.get<ListPage<ModelCard>>('/store/v1/models', buildStoreApiQuery(applied, { limit: pageSize, cursor }), signal), [appliedSearch, cursor]);

  const change = (name: StoreFilterName, value: string) => setDraft({ ...draft, [name]: value });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    navigate(`/${storeFiltersToSearch(draft)}`);
  };
  const reset = () => navigate('/');
  const noFilter = { value: '', label: t('filter.any') };
  const text = (name: StoreFilterName, label: string, type: 'text' | 'number' = 'text') => (
    <div className="field">
      <label htmlFor={`filter-${name}`}>{label}</label>
      <input id={`filter-${name}`} name={name} type={type} min={type === 'number' ? 0 : undefined} step={type === 'number' ? 'any' : undefined} value={draft[name] ?? ''} onChange={(event) => change(name, event.target.value)} />
    </div>
  );

  return (
    <section aria-labelledby="store-title">
      <h1 id="store-title">{t('store.title')}</h1>
      <form className="panel" role="search" onSubmit={submit} aria-label={t('store.searchForm')}>
        <div className="filters">
          <div className="field field-wide">
            <label htmlFor="filter-q">{t('filter.search')}</label>
            <input id="filter-q" name="q" type="search" value={draft.q ?? ''} onChange={(event) => change('q', event.target.value)} placeholder={t('filter.searchPlaceholder')} />
          </div>
          {text('vendor', t('filter.vendor'))}
          <SelectField name="open_weights" label={t('filter.openWeights')} value={draft.open_weights ?? ''} onChange={change} options={[noFilter, { value: 'true', label: t('common.yes') }, { value: 'false', label: t('common.no') }]} />
          <SelectField name="mof_class" label={t('filter.mofClass')} value={draft.mof_class ?? ''} onChange={change} options={[noFilter, { value: 'I', label: 'I' }, { value: 'II', label: 'II' }, { value: 'III', label: 'III' }, { value: 'none', label: t('mof.none') }]} />
          <SelectField
            name="commercial_use"
            label={t('filter.commercialUse')}
            value={draft.commercial_use ?? ''}
            onChange={change}
            options={[noFilter, { value: 'allowed', label: t('filter.commercial.allowed') }, { value: 'yes', label: t('licence.commercial.yes') }, { value: 'conditional', label: t('licence.commercial.conditional') }, { value: 'no', label: t('licence.commercial.no') }]}
          />
          {text('min_context', t('filter.minContext'), 'number')}
          {text('max_input_price', t('filter.maxInputPrice'), 'number')}
          {text('max_output_price', t('filter.maxOutputPrice'), 'number')}
          <SelectField name="currency" label={t('filter.currency')} value={draft.currency ?? ''} onChange={change} options={[{ value: '', label: 'USD' }, { value: 'CNY', label: 'CNY' }]} />
          <SelectField name="modality" label={t('filter.modality')} value={draft.modality ?? ''} onChange={change} options={[noFilter, ...modalities.map((value) => ({ value, label: t(`modality.${value}`) }))]} />
          <SelectField name="industry" label={t('filter.industry')} value={draft.industry ?? ''} onChange={change} options={[noFilter, ...industries.map((value) => ({ value, label: t(`industry.${value}`) }))]} />
          <SelectField name="deployment" label={t('filter.deployment')} value={draft.deployment ?? ''} onChange={change} options={[noFilter, ...deploymentKinds.map((value) => ({ value, label: t(`deployment.${value}`) }))]} />
          <SelectField name="sort" label={t('filter.sort')} value={draft.sort ?? ''} onChange={change} options={[{ value: '', label: t('sort.relevance') }, ...sortChoices.map((value) => ({ value, label: value.startsWith('benchmark:') ? t('sort.benchmark', { name: value.slice(10).toUpperCase() }) : t(`sort.${value as 'name' | 'price' | 'context' | 'release_date'}`) }))]} />
          <SelectField name="order" label={t('filter.order')} value={draft.order ?? ''} onChange={change} options={[{ value: '', label: t('order.default') }, { value: 'asc', label: t('order.asc') }, { value: 'desc', label: t('order.desc') }]} />
        </div>
        <div className="actions" style={{ marginTop: '0.8rem' }}>
          <button type="submit">{t('filter.apply')}</button>
          <button type="button" className="secondary" onClick={reset}>
            {t('filter.reset')}
          </button>
        </div>
      </form>
      <ErrorNotice error={results.error} />
      {results.loading ? <Loading /> : null}
      {results.data === undefined ? null : (
        <>
          <p role="status" aria-live="polite">
            {results.data.data.length === 0 ? t('store.noResults') : t('store.showing', { count: results.data.data.length })}
          </p>
          <ul className="cards" aria-label={t('store.results')}>
            {results.data.data.map((card) => (
              <ModelResultCard key={card.id} card={card} />
            ))}
          </ul>
          <PageControls page={cursors.length} hasPrevious={cursors.length > 1} hasNext={results.data.has_more === true && typeof results.data.next_cursor === 'string'} onPrevious={() => setCursors(cursors.slice(0, -1))} onNext={() => setCursors([...cursors, results.data?.next_cursor ?? null])} />
        </>
      )}
    </section>
  );
}
