// The console's API keys: create one with role, model globs, limits and expiry (the key is shown
// once), list them in pages with revoked ones on request, and revoke.
import { useState, type FormEvent } from 'react';
import type { ApiKeyRecord, CreatedApiKey, ListPage } from '../api/api-types';
import { useApp } from '../app/app-context';
import { ErrorNotice, Loading } from '../components/error-notice';
import { useLocalPages } from '../components/pagination';
import { useApiData } from '../components/use-api-data';
import { emptyKeyForm, keyRequestFromForm, type KeyForm } from './console-logic';
import { isForbidden } from './console-shared';

export default function KeysSection() {
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
