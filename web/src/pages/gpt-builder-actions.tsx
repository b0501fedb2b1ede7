// The builder's actions section: paste an OpenAPI document (JSON or YAML), set its base URL and
// authentication, save it, see the tools it yields, make a test call of one tool, remove it.
import { useState, type FormEvent } from 'react';
import type { ActionTestResult, GptAction } from '../api/gpt-types';
import { useApp } from '../app/app-context';
import { ErrorNotice, Loading } from '../components/error-notice';
import { useLocalPages } from '../components/pagination';
import { useApiData } from '../components/use-api-data';
import { actionTestBody, emptyAuthForm, openApiActionBody, type ActionAuthForm } from './gpt-builder-logic';

function ActionTest({ gptId, action }: { readonly gptId: string; readonly action: GptAction }) {
  const { t, client, format } = useApp();
  const [tool, setTool] = useState(action.tools[0]?.name ?? '');
  const [argumentsText, setArgumentsText] = useState('{}');
  const [result, setResult] = useState<ActionTestResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [invalid, setInvalid] = useState(false);
  const [busy, setBusy] = useState(false);
  const prefix = `action-${action.id}`;
  const run = async (event: FormEvent) => {
    event.preventDefault();
    const body = actionTestBody(tool, argumentsText);
    setInvalid(body === null);
    setError(null);
    setResult(null);
    if (body === null) return;
    setBusy(true);
    try {
      setResult(await client.post<ActionTestResult>(`/store/v1/gpts/${encodeURIComponent(gptId)}/actions/${encodeURIComponent(action.id)}/test`, body));
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={(event) => void run(event)} aria-label={t('gpts.actions.testOf', { name: action.name })}>
      <div className="field">
        <label htmlFor={`${prefix}-tool`}>{t('gpts.actions.tool')}</label>
        <select id={`${prefix}-tool`} value={tool} onChange={(event) => setTool(event.target.value)}>
          {action.tools.map((entry) => (
            <option key={entry.name} value={entry.name}>
              {entry.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${prefix}-arguments`}>{t('gpts.actions.arguments')}</label>
        <textarea id={`${prefix}-arguments`} rows={3} className="code" value={argumentsText} onChange={(event) => setArgumentsText(event.target.value)} />
      </div>
      {invalid ? (
        <p className="notice notice-error" role="alert">
          {t('gpts.actions.argumentsInvalid')}
        </p>
      ) : null}
      <ErrorNotice error={error} />
      <div className="actions">
        <button type="submit" disabled={busy || tool === ''}>
          {busy ? t('gpts.actions.testing') : t('gpts.actions.test')}
        </button>
      </div>
      {result === null ? null : (
        <div className={result.ok ? 'notice notice-success' : 'notice notice-error'} role="status">
          <p>
            {result.ok ? `✓ ${t('gpts.actions.testOk')}` : `✗ ${t('gpts.actions.testFailed', { code: result.error?.code ?? '', message: result.error?.message ?? '' })}`}
            {result.durationMilliseconds === undefined ? null : <span className="muted"> · {t('gpts.actions.duration', { milliseconds: format.number(result.durationMilliseconds, 0) })}</span>}
          </p>
          <pre className="code" tabIndex={0}>
            {result.content}
          </pre>
        </div>
      )}
    </form>
  );
}

function AuthFields({ form, onChange }: { readonly form: ActionAuthForm; readonly onChange: (form: ActionAuthForm) => void }) {
  const { t } = useApp();
  const text = (field: 'keyName' | 'tokenUrl' | 'clientId' | 'scopes' | 'secret', label: string, type: 'text' | 'password' = 'text') => (
    <div className="field">
      <label htmlFor={`action-auth-${field}`}>{label}</label>
      <input id={`action-auth-${field}`} type={type} autoComplete="off" value={form[field]} onChange={(event) => onChange({ ...form, [field]: event.target.value })} />
    </div>
  );
  return (
    <fieldset>
      <legend>{t('gpts.actions.auth')}</legend>
      <div className="field">
        <label htmlFor="action-auth-type">{t('gpts.actions.authType')}</label>
        <select id="action-auth-type" value={form.type} onChange={(event) => onChange({ ...form, type: event.target.value as ActionAuthForm['type'] })}>
          <option value="none">{t('gpts.actions.auth.none')}</option>
          <option value="api_key">{t('gpts.actions.auth.apiKey')}</option>
          <option value="bearer">{t('gpts.actions.auth.bearer')}</option>
          <option value="oauth2_client_credentials">{t('gpts.actions.auth.oauth')}</option>
        </select>
      </div>
      {form.type === 'api_key' ? (
        <>
          <div className="field">
            <label htmlFor="action-auth-in">{t('gpts.actions.keyIn')}</label>
            <select id="action-auth-in" value={form.keyIn} onChange={(event) => onChange({ ...form, keyIn: event.target.value === 'query' ? 'query' : 'header' })}>
              <option value="header">{t('gpts.actions.keyIn.header')}</option>
              <option value="query">{t('gpts.actions.keyIn.query')}</option>
            </select>
          </div>
          {text('keyName', t('gpts.actions.keyName'))}
        </>
      ) : null}
      {form.type === 'oauth2_client_credentials' ? (
        <>
          {text('tokenUrl', t('gpts.actions.tokenUrl'))}
          {text('clientId', t('gpts.actions.clientId'))}
          {text('scopes', t('gpts.actions.scopes'))}
        </>
      ) : null}
      {form.type === 'none' ? null : text('secret', t('gpts.actions.secret'), 'password')}
    </fieldset>
  );
}

export function ActionsSection({ gptId }: { readonly gptId: string }) {
  const { t, client } = useApp();
  const base = `/store/v1/gpts/${encodeURIComponent(gptId)}/actions`;
  const actions = useApiData((signal) => client.get<{ readonly data: readonly GptAction[] }>(base, {}, signal), [gptId]);
  const [documentText, setDocumentText] = useState('');
  const [baseUrl, setBaseUrl] = useState('');
  const [auth, setAuth] = useState<ActionAuthForm>(emptyAuthForm);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const { pageItems, controls } = useLocalPages(actions.data?.data ?? [], 5);
  const save = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setBusy(true);
    try {
      await client.post(base, openApiActionBody(documentText, baseUrl, auth));
      setDocumentText('');
      setAuth(emptyAuthForm);
      actions.reload();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  const remove = async (action: GptAction) => {
    setError(null);
    try {
      await client.delete(`${base}/${encodeURIComponent(action.id)}`);
    } catch (failure) {
      setError(failure);
    }
    actions.reload();
  };
  return (
    <section className="panel" aria-labelledby="builder-actions-title">
      <h2 id="builder-actions-title">{t('gpts.actions.title')}</h2>
      <ErrorNotice error={actions.error} />
      {actions.loading && actions.data === undefined ? <Loading /> : null}
      {(actions.data?.data ?? []).length === 0 ? <p>{t('gpts.actions.none')}</p> : null}
      <ul className="gpt-actions-list">
        {pageItems.map((action) => (
          <li key={action.id} className="panel">
            <h3>{action.name}</h3>
            <p className="muted">
              {t('gpts.actions.summary', { tools: action.tools.map((tool) => tool.name).join(', '), auth: action.auth.type })}
              {action.has_secret ? ` · ${t('gpts.actions.hasSecret')}` : ''}
            </p>
            <ActionTest gptId={gptId} action={action} />
            <div className="actions">
              <button type="button" className="secondary" onClick={() => void remove(action)} aria-label={t('gpts.actions.deleteNamed', { name: action.name })}>
                {t('gpts.actions.delete')}
              </button>
            </div>
          </li>
        ))}
      </ul>
      {controls}
      <form onSubmit={(event) => void save(event)} aria-labelledby="builder-action-new">
        <h3 id="builder-action-new">{t('gpts.actions.add')}</h3>
        <div className="field">
          <label htmlFor="action-document">{t('gpts.actions.document')}</label>
          <textarea id="action-document" className="code" rows={8} value={documentText} onChange={(event) => setDocumentText(event.target.value)} />
          <p className="hint">{t('gpts.actions.documentHint')}</p>
        </div>
        <div className="field">
          <label htmlFor="action-base-url">{t('gpts.actions.baseUrl')}</label>
          <input id="action-base-url" type="url" value={baseUrl} onChange={(event) => setBaseUrl(event.target.value)} />
        </div>
        <AuthFields form={auth} onChange={setAuth} />
        <ErrorNotice error={error} />
        <div className="actions">
          <button type="submit" disabled={busy || documentText.trim() === ''}>
            {t('gpts.actions.save')}
          </button>
        </div>
      </form>
    </section>
  );
}
