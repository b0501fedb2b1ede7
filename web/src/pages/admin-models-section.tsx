// Model cards and prices: search the catalogue, open a card, edit its body as JSON (the API's
// validation errors shown beside it), add a price version, deprecate, and import a card.
import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/api-client';
import type { ListPage, ModelCard, ModelDetail } from '../api/api-types';
import { useApp } from '../app/app-context';
import { Loading } from '../components/error-notice';
import { PageControls } from '../components/pagination';
import { useApiData } from '../components/use-api-data';
import type { Currency } from '../i18n/locale-format';
import AdminModelImport from './admin-models-import';
import { deprecationBody, editableCardBody, emptyPriceForm, priceBodyFromForm, priceFormProblems, readJsonObject, type PriceForm } from './admin-models-logic';
import { AdminErrorNotice, isForbidden, useAction, useCursorPaging } from './admin-shared';

const pageSize = 20;

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

function PriceSection({ card, onChanged }: { readonly card: ModelDetail; readonly onChanged: () => void }) {
  const { t, format, client } = useApp();
  const [form, setForm] = useState<PriceForm>(emptyPriceForm);
  const [showProblems, setShowProblems] = useState(false);
  const add = useAction();
  const problems = priceFormProblems(form, today());
  const problemFor = (field: string) => (showProblems ? problems.find((problem) => problem.field === field) : undefined);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setShowProblems(true);
    if (problems.length > 0) return;
    await add.run(async () => {
      await client.post(`/admin/v1/models/${encodeURIComponent(card.id)}/prices`, priceBodyFromForm(form));
      setForm(emptyPriceForm);
      setShowProblems(false);
      onChanged();
    });
  };
  const amountField = (name: 'inputPerMillion' | 'outputPerMillion', label: string) => {
    const problem = problemFor(name);
    return (
      <div className="field">
        <label htmlFor={`price-${name}`}>{label}</label>
        <input id={`price-${name}`} type="number" min={0} step="any" value={form[name]} onChange={(event) => setForm({ ...form, [name]: event.target.value })} aria-invalid={problem === undefined ? undefined : true} aria-describedby={problem === undefined ? undefined : `price-${name}-error`} />
        {problem === undefined ? null : (
          <p className="admin-field-error" id={`price-${name}-error`}>
            {t(problem.message)}
          </p>
        )}
      </div>
    );
  };
  const dateProblem = problemFor('effectiveDate');
  return (
    <section aria-labelledby="admin-prices-title">
      <h3 id="admin-prices-title">{t('admin.models.prices')}</h3>
      {card.price_history.length === 0 ? (
        <p className="muted">{t('price.none')}</p>
      ) : (
        <div className="table-scroll">
          <table>
            <caption>{t('admin.models.priceCaption', { name: card.name })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('admin.models.effectiveFrom')}</th>
                <th scope="col">{t('admin.models.currency')}</th>
                <th scope="col" className="number">{t('admin.models.inputPerMillion')}</th>
                <th scope="col" className="number">{t('admin.models.outputPerMillion')}</th>
              </tr>
            </thead>
            <tbody>
              {card.price_history.map((price) => (
                <tr key={`${price.effective_from}-${price.currency}`}>
                  <th scope="row">{format.dateTime(price.effective_from)}</th>
                  <td>{price.currency}</td>
                  <td className="number">{format.money(price.input_per_million_tokens, price.currency)}</td>
                  <td className="number">{format.money(price.output_per_million_tokens, price.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form className="admin-form" onSubmit={(event) => void submit(event)} aria-label={t('admin.models.addPrice')} noValidate>
        <h4>{t('admin.models.addPrice')}</h4>
        <div className="filters">
          <div className="field">
            <label htmlFor="price-effective">{t('admin.models.effectiveDate')}</label>
            <input id="price-effective" type="date" value={form.effectiveDate} onChange={(event) => setForm({ ...form, effectiveDate: event.target.value })} aria-invalid={dateProblem === undefined ? undefined : true} aria-describedby="price-effective-hint" />
            <p className="hint" id="price-effective-hint">
              {t('admin.models.effectiveHint')}
            </p>
            {dateProblem === undefined ? null : <p className="admin-field-error">{t(dateProblem.message)}</p>}
          </div>
          <div className="field">
            <label htmlFor="price-currency">{t('admin.models.currency')}</label>
            <select id="price-currency" value={form.currency} onChange={(event) => setForm({ ...form, currency: event.target.value === 'CNY' ? 'CNY' : ('USD' satisfies Currency) })}>
              <option value="USD">USD</option>
              <option value="CNY">CNY</option>
            </select>
          </div>
          {amountField('inputPerMillion', t('admin.models.inputPerMillionUnits', { currency: form.currency }))}
          {amountField('outputPerMillion', t('admin.models.outputPerMillionUnits', { currency: form.currency }))}
        </div>
        <AdminErrorNotice error={add.error} />
        <div className="actions">
          <button type="submit" disabled={add.busy}>
            {add.busy ? t('admin.saving') : t('admin.models.addPrice')}
          </button>
        </div>
      </form>
    </section>
  );
}

function DeprecateForm({ card, onChanged }: { readonly card: ModelDetail; readonly onChanged: () => void }) {
  const { t, format, client } = useApp();
  const [sunset, setSunset] = useState('');
  const [replacement, setReplacement] = useState('');
  const deprecate = useAction();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!window.confirm(t('admin.models.confirmDeprecate', { name: card.name }))) return;
    await deprecate.run(async () => {
      await client.post(`/admin/v1/models/${encodeURIComponent(card.id)}/deprecate`, deprecationBody(sunset, replacement));
      onChanged();
    });
  };
  return (
    <form className="admin-form" onSubmit={(event) => void submit(event)} aria-label={t('admin.models.deprecate')}>
      <h3>{t('admin.models.deprecate')}</h3>
      {card.deprecation === null ? null : <p>{t('admin.models.deprecatedOn', { date: format.date(card.deprecation.deprecated_at), sunset: card.deprecation.sunset_date === null ? '—' : format.date(card.deprecation.sunset_date) })}</p>}
      <div className="filters">
        <div className="field">
          <label htmlFor="deprecate-sunset">{t('admin.models.sunsetDate')}</label>
          <input id="deprecate-sunset" type="date" required value={sunset} onChange={(event) => setSunset(event.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="deprecate-replacement">{t('admin.models.replacement')}</label>
          <input id="deprecate-replacement" value={replacement} onChange={(event) => setReplacement(event.target.value)} />
        </div>
      </div>
      <AdminErrorNotice error={deprecate.error} />
      <div className="actions">
        <button type="submit" disabled={deprecate.busy}>
          {t('admin.models.deprecate')}
        </button>
      </div>
    </form>
  );
}

function CardJsonEditor({ card, onChanged }: { readonly card: ModelDetail; readonly onChanged: () => void }) {
  const { t, client } = useApp();
  const [text, setText] = useState(() => JSON.stringify(editableCardBody(card), null, 2));
  const save = useAction();
  const parsed = readJsonObject(text);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!parsed.ok) return;
    await save.run(async () => {
      await client.send('PUT', `/admin/v1/models/${encodeURIComponent(card.id)}`, { body: parsed.value });
      onChanged();
    });
  };
  const apiParam = save.error instanceof ApiError && save.error.status === 400 ? save.error.param : null;
  return (
    <form className="admin-form" onSubmit={(event) => void submit(event)} aria-label={t('admin.models.editCard')}>
      <h3>{t('admin.models.editCard')}</h3>
      <div className="field field-wide">
        <label htmlFor="card-json">{t('admin.models.cardJson')}</label>
        <textarea id="card-json" className="admin-json" rows={18} spellCheck={false} value={text} onChange={(event) => setText(event.target.value)} aria-invalid={parsed.ok && apiParam === null ? undefined : true} aria-describedby="card-json-problem" />
        <p className="admin-field-error" id="card-json-problem">
          {parsed.ok ? (apiParam === null ? '' : t('admin.models.fieldRefused', { field: apiParam })) : `${t(parsed.message)} ${parsed.detail}`}
        </p>
      </div>
      <AdminErrorNotice error={save.error} />
      <div className="actions">
        <button type="submit" disabled={save.busy || !parsed.ok}>
          {save.busy ? t('admin.saving') : t('admin.models.saveCard')}
        </button>
      </div>
    </form>
  );
}

function CardPanel({ id, onClose }: { readonly id: string; readonly onClose: () => void }) {
  const { t, client } = useApp();
  const card = useApiData((signal) => client.get<ModelDetail>(`/store/v1/models/${encodeURIComponent(id)}`, {}, signal), [id]);
  const [changed, setChanged] = useState(0);
  const onChanged = () => {
    setChanged(changed + 1);
    card.reload();
  };
  return (
    <section className="panel admin-card" aria-labelledby="admin-card-title">
      <div className="actions admin-toolbar">
        <h2 id="admin-card-title">{card.data?.name ?? id}</h2>
        <button type="button" className="secondary" onClick={onClose}>
          {t('admin.models.close')}
        </button>
      </div>
      <AdminErrorNotice error={card.error} />
      {card.data === undefined ? (
        card.loading ? <Loading /> : null
      ) : (
        <>
          <p className="muted">
            <code>{card.data.id}</code> · {card.data.vendor}
          </p>
          <PriceSection card={card.data} onChanged={onChanged} />
          <DeprecateForm card={card.data} onChanged={onChanged} />
          <CardJsonEditor key={`${card.data.id}-${changed}`} card={card.data} onChanged={onChanged} />
        </>
      )}
    </section>
  );
}

export default function AdminModelsSection() {
  const { t, client } = useApp();
  const [query, setQuery] = useState('');
  const [submitted, setSubmitted] = useState('');
  const [selected, setSelected] = useState<string | null>(null);
  const paging = useCursorPaging();
  const models = useApiData((signal) => client.get<ListPage<ModelCard>>('/store/v1/models', { q: submitted, limit: pageSize, cursor: paging.cursor, sort: 'name' }, signal), [submitted, paging.cursor]);
  // The store's list is public: ask an admin-only endpoint so a non-admin key sees the notice.
  const access = useApiData((signal) => client.get<unknown>('/admin/v1/routes', {}, signal), []);
  if (isForbidden(access.error)) return <AdminErrorNotice error={access.error} />;

  return (
    <>
      <section aria-labelledby="admin-models-title" className="panel">
        <h2 id="admin-models-title">{t('admin.section.models')}</h2>
        <form
          className="actions admin-toolbar"
          role="search"
          onSubmit={(event) => {
            event.preventDefault();
            paging.reset();
            setSubmitted(query.trim());
          }}
        >
          <label htmlFor="admin-model-search">{t('admin.models.search')}</label>
          <input id="admin-model-search" type="search" value={query} onChange={(event) => setQuery(event.target.value)} />
          <button type="submit">{t('admin.models.searchButton')}</button>
        </form>
        <AdminErrorNotice error={models.error} />
        {models.loading && models.data === undefined ? <Loading /> : null}
        {models.data === undefined ? null : models.data.data.length === 0 ? (
          <p className="muted">{t('admin.models.none')}</p>
        ) : (
          <>
            <ul className="admin-model-list" aria-label={t('admin.models.results')}>
              {models.data.data.map((model) => (
                <li key={model.id}>
                  <button type="button" className={model.id === selected ? '' : 'secondary'} aria-pressed={model.id === selected} onClick={() => setSelected(model.id)}>
                    {model.name}
                  </button>{' '}
                  <span className="muted">
                    <code>{model.id}</code> · {model.vendor}
                    {model.deprecation === null ? '' : ` · ${t('admin.models.deprecated')}`}
                  </span>
                </li>
              ))}
            </ul>
            <PageControls page={paging.page} hasPrevious={paging.page > 1} hasNext={models.data.has_more === true && typeof models.data.next_cursor === 'string'} onPrevious={paging.previous} onNext={() => typeof models.data?.next_cursor === 'string' && paging.next(models.data.next_cursor)} />
          </>
        )}
      </section>
      {selected === null ? null : <CardPanel key={selected} id={selected} onClose={() => setSelected(null)} />}
      <AdminModelImport />
    </>
  );
}
