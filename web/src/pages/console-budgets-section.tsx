// Budgets: an organisation's spending limits (on the organisation, a project or a key, per UTC
// day or month, hard and soft), listed and created here; the API enforces them.
import { useState, type FormEvent } from 'react';
import type { ListPage, Organisation } from '../api/api-types';
import { useApp } from '../app/app-context';
import { ErrorNotice, Loading } from '../components/error-notice';
import { useLocalPages } from '../components/pagination';
import { useApiData } from '../components/use-api-data';
import type { Currency } from '../i18n/locale-format';
import { budgetRequestFromForm, emptyBudgetForm, type AmountProblem, type BudgetForm } from './console-money-logic';
import { isForbidden, OrganisationPicker } from './console-shared';

interface Budget {
  readonly id: string;
  readonly scope_type: 'organisation' | 'project' | 'key';
  readonly scope_id: string;
  readonly period: 'day' | 'month';
  readonly currency: Currency;
  readonly hard_limit: number | null;
  readonly soft_limit: number | null;
}

export default function BudgetsSection({ organisations }: { readonly organisations: ListPage<Organisation> | undefined }) {
  const { t, format, client } = useApp();
  const [chosen, setChosen] = useState('');
  const organisationId = chosen !== '' ? chosen : (organisations?.data[0]?.id ?? '');
  const budgets = useApiData(async (signal) => (organisationId === '' ? null : client.get<ListPage<Budget>>('/admin/v1/budgets', { organisation_id: organisationId }, signal)), [organisationId]);
  const [form, setForm] = useState<BudgetForm>(emptyBudgetForm);
  const [problem, setProblem] = useState<{ readonly field: 'hardLimit' | 'softLimit'; readonly problem: AmountProblem } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const { pageItems, controls } = useLocalPages(budgets.data?.data ?? [], 20);
  if (isForbidden(budgets)) return null;

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const request = budgetRequestFromForm({ ...form, organisationId });
    if (!request.ok) {
      setProblem({ field: request.field, problem: request.problem });
      return;
    }
    setProblem(null);
    setBusy(true);
    try {
      await client.post('/admin/v1/budgets', request.body);
      setForm(emptyBudgetForm);
      budgets.reload();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  const limitField = (field: 'hardLimit' | 'softLimit', label: string) => (
    <div className="field">
      <label htmlFor={`budget-${field}`}>{label}</label>
      <input id={`budget-${field}`} inputMode="decimal" value={form[field]} onChange={(event) => setForm({ ...form, [field]: event.target.value })} aria-invalid={problem?.field === field} aria-describedby={`budget-${field}-hint`} />
      <p className="hint" id={`budget-${field}-hint`}>
        {problem?.field === field ? <strong>{t(`account.amount.${problem.problem}`)}</strong> : t('account.budgets.limitHint')}
      </p>
    </div>
  );
  const limit = (value: number | null, currency: Currency) => (value === null ? t('account.budgets.noLimit') : format.money(value, currency));

  return (
    <section aria-labelledby="budgets-title" className="panel">
      <h2 id="budgets-title">{t('account.budgets.title')}</h2>
      <OrganisationPicker id="budgets-organisation" organisations={organisations} value={organisationId} onChange={setChosen} />
      <form onSubmit={(event) => void create(event)} aria-label={t('account.budgets.createForm')}>
        <div className="filters">
          <div className="field">
            <label htmlFor="budget-scope">{t('account.budgets.scope')}</label>
            <select id="budget-scope" value={form.scopeType} onChange={(event) => setForm({ ...form, scopeType: event.target.value === 'project' ? 'project' : event.target.value === 'key' ? 'key' : 'organisation' })}>
              <option value="organisation">{t('account.budgets.scope.organisation')}</option>
              <option value="project">{t('account.budgets.scope.project')}</option>
              <option value="key">{t('account.budgets.scope.key')}</option>
            </select>
          </div>
          {form.scopeType === 'organisation' ? null : (
            <div className="field">
              <label htmlFor="budget-scope-id">{t('account.budgets.scopeId')}</label>
              <input id="budget-scope-id" value={form.scopeId} onChange={(event) => setForm({ ...form, scopeId: event.target.value })} required />
            </div>
          )}
          <div className="field">
            <label htmlFor="budget-period">{t('account.budgets.period')}</label>
            <select id="budget-period" value={form.period} onChange={(event) => setForm({ ...form, period: event.target.value === 'day' ? 'day' : 'month' })}>
              <option value="month">{t('account.budgets.period.month')}</option>
              <option value="day">{t('account.budgets.period.day')}</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="budget-currency">{t('account.currency')}</label>
            <select id="budget-currency" value={form.currency} onChange={(event) => setForm({ ...form, currency: event.target.value === 'CNY' ? 'CNY' : 'USD' })}>
              <option value="USD">USD</option>
              <option value="CNY">CNY</option>
            </select>
          </div>
          {limitField('hardLimit', t('account.budgets.hardLimit'))}
          {limitField('softLimit', t('account.budgets.softLimit'))}
        </div>
        <div className="actions console-actions">
          <button type="submit" disabled={busy || organisationId === ''}>
            {busy ? t('account.working') : t('account.budgets.create')}
          </button>
        </div>
        <ErrorNotice error={error} />
      </form>
      <ErrorNotice error={budgets.error} />
      {budgets.loading ? <Loading /> : null}
      {budgets.data === undefined || budgets.data === null ? null : budgets.data.data.length === 0 ? (
        <p className="muted">{t('account.budgets.none')}</p>
      ) : (
        <div className="table-scroll">
          <table>
            <caption>{t('account.budgets.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('account.budgets.scope')}</th>
                <th scope="col">{t('account.budgets.period')}</th>
                <th scope="col" className="number">{t('account.budgets.hardLimit')}</th>
                <th scope="col" className="number">{t('account.budgets.softLimit')}</th>
              </tr>
            </thead>
            <tbody>
              {pageItems.map((budget) => (
                <tr key={budget.id}>
                  <th scope="row">
                    {t(`account.budgets.scope.${budget.scope_type}`)} <code>{budget.scope_id}</code>
                  </th>
                  <td>{t(`account.budgets.period.${budget.period}`)}</td>
                  <td className="number">{limit(budget.hard_limit, budget.currency)}</td>
                  <td className="number">{limit(budget.soft_limit, budget.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {controls}
        </div>
      )}
    </section>
  );
}
