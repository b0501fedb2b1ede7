// The console, first part: API keys (create with scopes and limits, shown once; revoke),
// usage by day, model or project, and the organisation's balance. Each section asks the API
// and hides itself when the key's role may not do it (403).
import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/api-client';
import type { ApiKeyRecord, Balance, CreatedApiKey, ListPage, Organisation, UsageReport } from '../api/api-types';
import { useApp } from '../app/app-context';
import GroupedBarChart from '../charts/grouped-bar-chart';
import { ErrorNotice, Loading } from '../components/error-notice';
import { useLocalPages } from '../components/pagination';
import { useApiData, type ApiData } from '../components/use-api-data';
import { defaultUsageWindow, emptyKeyForm, keyRequestFromForm, usageSeries, type KeyForm, type UsageGroup } from './console-logic';

function isForbidden(data: ApiData<unknown>): boolean {
  return data.error instanceof ApiError && data.error.status === 403;
}

function KeysSection() {
  const { t, format, client } = useApp();
  const [includeRevoked, setIncludeRevoked] = useState(false);
  const keys = useApiData((signal) => client.get<ListPage<ApiKeyRecord>>('/admin/v1/keys', { include_revoked: includeRevoked ? 'true' : undefined }, signal), [includeRevoked]);
  const [form, setForm] = useState<KeyForm>(emptyKeyForm);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const { pageItems: shownKeys, controls: keyPages } = useLocalPages(keys.data?.data ?? [], 20);
  if (isForbidden(keys)) return null;

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setActionError(null);
    try {
      setCreated(await client.post<CreatedApiKey>('/admin/v1/keys', keyRequestFromForm(form)));
      setForm(emptyKeyForm);
      keys.reload();
    } catch (failure) {
      setActionError(failure);
    } finally {
      setBusy(false);
    }
  };
  const revoke = async (key: ApiKeyRecord) => {
    if (!window.confirm(t('keys.confirmRevoke', { name: key.name }))) return;
    setActionError(null);
    try {
      await client.delete(`/admin/v1/keys/${encodeURIComponent(key.id)}`);
      keys.reload();
    } catch (failure) {
      setActionError(failure);
    }
  };
  const field = (name: keyof KeyForm, label: string, type = 'text', hint?: string) => (
    <div className="field">
      <label htmlFor={`key-${name}`}>{label}</label>
      <input id={`key-${name}`} type={type} value={form[name]} min={type === 'number' ? 1 : undefined} onChange={(event) => setForm({ ...form, [name]: event.target.value })} required={name === 'name'} />
      {hint === undefined ? null : <p className="hint">{hint}</p>}
    </div>
  );

  return (
    <section aria-labelledby="keys-title" className="panel">
      <h2 id="keys-title">{t('keys.title')}</h2>
      {created === null ? null : (
        <div className="notice notice-success" role="alert" data-testid="created-key">
          <p>
            <strong>{t('keys.createdOnce', { name: created.name })}</strong>
          </p>
          <p className="secret">{created.key}</p>
          <div className="actions">
            <button type="button" className="secondary" onClick={() => void navigator.clipboard?.writeText(created.key)}>
              {t('keys.copy')}
            </button>
            <button type="button" onClick={() => setCreated(null)}>
              {t('keys.stored')}
            </button>
          </div>
        </div>
      )}
      <form onSubmit={(event) => void create(event)} aria-label={t('keys.createForm')}>
        <div className="filters">
          {field('name', t('keys.name'))}
          <div className="field">
            <label htmlFor="key-role">{t('keys.role')}</label>
            <select id="key-role" value={form.role} onChange={(event) => setForm({ ...form, role: event.target.value === 'admin' ? 'admin' : 'user' })}>
              <option value="user">{t('keys.role.user')}</option>
              <option value="admin">{t('keys.role.admin')}</option>
            </select>
          </div>
          {field('allowedModels', t('keys.allowedModels'), 'text', t('keys.globHint'))}
          {field('deniedModels', t('keys.deniedModels'), 'text', t('keys.globHint'))}
          {field('requestsPerMinute', t('keys.requestsPerMinute'), 'number')}
          {field('tokensPerMinute', t('keys.tokensPerMinute'), 'number')}
          {field('expiresOn', t('keys.expiresOn'), 'date')}
        </div>
        <div className="actions" style={{ marginTop: '0.6rem' }}>
          <button type="submit" disabled={busy}>
            {t('keys.create')}
          </button>
        </div>
      </form>
      <ErrorNotice error={actionError} />
      <label className="actions" style={{ marginTop: '0.8rem' }}>
        <input type="checkbox" checked={includeRevoked} onChange={(event) => setIncludeRevoked(event.target.checked)} /> {t('keys.includeRevoked')}
      </label>
      <ErrorNotice error={keys.error} />
      {keys.loading ? <Loading /> : null}
      {keys.data === undefined ? null : (
        <div className="table-scroll">
          <table>
            <caption>{t('keys.listCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('keys.name')}</th>
                <th scope="col">{t('keys.key')}</th>
                <th scope="col">{t('keys.role')}</th>
                <th scope="col">{t('keys.scopes')}</th>
                <th scope="col">{t('keys.limits')}</th>
                <th scope="col">{t('keys.created')}</th>
                <th scope="col">{t('keys.lastUsed')}</th>
                <th scope="col">{t('keys.state')}</th>
              </tr>
            </thead>
            <tbody>
              {shownKeys.map((key) => (
                <tr key={key.id}>
                  <th scope="row">{key.name}</th>
                  <td>
                    <code>{key.display_hint}</code>
                  </td>
                  <td>{key.role}</td>
                  <td>{[...(key.scopes.allowed_models ?? []).map((glob) => `+${glob}`), ...(key.scopes.denied_models ?? []).map((glob) => `−${glob}`)].join(' ') || t('keys.allModels')}</td>
                  <td>{[key.requests_per_minute === null ? null : t('keys.rpm', { value: format.number(key.requests_per_minute) }), key.tokens_per_minute === null ? null : t('keys.tpm', { value: format.number(key.tokens_per_minute) })].filter((entry) => entry !== null).join(', ') || '—'}</td>
                  <td>{format.date(key.created_at)}</td>
                  <td>{key.last_used_at === null ? '—' : format.dateTime(key.last_used_at)}</td>
                  <td>
                    {key.revoked_at === null ? (
                      <button type="button" className="secondary" onClick={() => void revoke(key)} aria-label={t('keys.revokeNamed', { name: key.name })}>
                        {t('keys.revoke')}
                      </button>
                    ) : (
                      <span>{t('keys.revokedOn', { date: format.date(key.revoked_at) })}</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {keyPages}
        </div>
      )}
    </section>
  );
}

function UsageSection() {
  const { t, format, client } = useApp();
  const initial = defaultUsageWindow(new Date());
  const [from, setFrom] = useState(initial.from);
  const [to, setTo] = useState(initial.to);
  const [group, setGroup] = useState<UsageGroup>('day');
  const usage = useApiData((signal) => client.get<UsageReport>('/admin/v1/usage', { from, to, group_by: group }, signal), [from, to, group]);
  if (isForbidden(usage)) return null;
  const series = usage.data === undefined ? null : usageSeries(usage.data.data, group);
  const currency = series?.currency ?? 'USD';
  return (
    <section aria-labelledby="usage-title" className="panel">
      <h2 id="usage-title">{t('usage.title')}</h2>
      <div className="filters">
        <div className="field">
          <label htmlFor="usage-from">{t('usage.from')}</label>
          <input id="usage-from" type="date" value={from} onChange={(event) => setFrom(event.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="usage-to">{t('usage.to')}</label>
          <input id="usage-to" type="date" value={to} onChange={(event) => setTo(event.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="usage-group">{t('usage.groupBy')}</label>
          <select id="usage-group" value={group} onChange={(event) => setGroup(event.target.value === 'model' ? 'model' : event.target.value === 'project' ? 'project' : 'day')}>
            <option value="day">{t('usage.group.day')}</option>
            <option value="model">{t('usage.group.model')}</option>
            <option value="project">{t('usage.group.project')}</option>
          </select>
        </div>
      </div>
      <ErrorNotice error={usage.error} />
      {usage.loading ? <Loading /> : null}
      {series === null ? null : series.labels.length === 0 ? (
        <p className="muted">{t('usage.none')}</p>
      ) : (
        <>
          <GroupedBarChart labels={series.labels} series={[{ label: t('usage.cost', { currency }), values: series.costs.map((cost) => cost / 1_000_000) }]} label={t('usage.chartLabel')} valueLabel={t('usage.cost', { currency })} formatValue={(value) => format.money(value * 1_000_000, currency)} />
          <div className="table-scroll">
            <table>
              <caption>{t('usage.tableCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t(`usage.group.${group}`)}</th>
                  <th scope="col" className="number">{t('usage.tokens')}</th>
                  <th scope="col" className="number">{t('usage.cost', { currency })}</th>
                </tr>
              </thead>
              <tbody>
                {series.labels.map((label, index) => (
                  <tr key={label}>
                    <th scope="row">{group === 'day' ? format.date(label) : label}</th>
                    <td className="number">{format.tokens(series.tokens[index] ?? 0)}</td>
                    <td className="number">{format.money(series.costs[index] ?? 0, currency)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

function BalanceSection() {
  const { t, format, client } = useApp();
  const organisations = useApiData((signal) => client.get<ListPage<Organisation>>('/admin/v1/organisations', {}, signal), []);
  const [chosen, setChosen] = useState('');
  const organisationId = chosen !== '' ? chosen : (organisations.data?.data[0]?.id ?? '');
  const balance = useApiData(async (signal) => (organisationId === '' ? null : client.get<Balance>(`/admin/v1/organisations/${encodeURIComponent(organisationId)}/balance`, {}, signal)), [organisationId]);
  if (isForbidden(organisations) || isForbidden(balance)) return null;
  return (
    <section aria-labelledby="balance-title" className="panel">
      <h2 id="balance-title">{t('balance.title')}</h2>
      {organisations.data === undefined ? null : (
        <div className="field">
          <label htmlFor="balance-organisation">{t('balance.organisation')}</label>
          <select id="balance-organisation" value={organisationId} onChange={(event) => setChosen(event.target.value)}>
            {organisations.data.data.map((organisation) => (
              <option key={organisation.id} value={organisation.id}>
                {organisation.name}
              </option>
            ))}
          </select>
        </div>
      )}
      <ErrorNotice error={organisations.error ?? balance.error} />
      {balance.data === undefined || balance.data === null ? null : (
        <dl className="facts">
          <dt>{t('balance.mode')}</dt>
          <dd>{t(`balance.mode.${balance.data.mode === 'postpaid' ? 'postpaid' : balance.data.mode === 'unlimited' ? 'unlimited' : 'prepaid'}`)}</dd>
          <dt>{t('balance.balance')}</dt>
          <dd data-testid="balance-amount">{format.money(balance.data.balance, balance.data.currency)}</dd>
          <dt>{t('balance.available')}</dt>
          <dd>{balance.data.available === null ? t('balance.unlimited') : format.money(balance.data.available, balance.data.currency)}</dd>
          {balance.data.credit_limit === null ? null : (
            <>
              <dt>{t('balance.creditLimit')}</dt>
              <dd>{format.money(balance.data.credit_limit, balance.data.currency)}</dd>
            </>
          )}
        </dl>
      )}
    </section>
  );
}

export default function ConsolePage() {
  const { t, identity } = useApp();
  return (
    <section aria-labelledby="console-title">
      <h1 id="console-title">{t('nav.console')}</h1>
      {identity === null ? (
        <div className="notice" role="note">
          <p>{t('signIn.required')}</p>
        </div>
      ) : (
        <>
          <p className="muted">{t('console.roleNote')}</p>
          <KeysSection />
          <UsageSection />
          <BalanceSection />
        </>
      )}
    </section>
  );
}
