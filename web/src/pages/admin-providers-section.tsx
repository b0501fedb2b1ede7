// Providers and health: the configured providers and the passive health of each deployment
// (circuit state in words and a symbol, failures, latency), refreshed on demand or every few seconds.
import { useEffect, useState } from 'react';
import type { CircuitState, ConfiguredProvider, TargetHealth } from '../api/admin-types';
import type { ListPage } from '../api/api-types';
import { useApp } from '../app/app-context';
import { Loading } from '../components/error-notice';
import { useLocalPages } from '../components/pagination';
import { useApiData } from '../components/use-api-data';
import type { MessageKey } from '../i18n/messages';
import { AdminErrorNotice, isForbidden } from './admin-shared';

const autoRefreshMilliseconds = 10_000;

const circuitStates: Readonly<Record<CircuitState, { readonly symbol: string; readonly tone: string; readonly text: MessageKey }>> = {
  closed: { symbol: '✓', tone: 'badge-good', text: 'admin.health.state.closed' },
  'half-open': { symbol: '≈', tone: 'badge-warn', text: 'admin.health.state.halfOpen' },
  open: { symbol: '✗', tone: 'badge-bad', text: 'admin.health.state.open' },
};

function CircuitBadge({ state }: { readonly state: CircuitState }) {
  const { t } = useApp();
  const entry = circuitStates[state];
  return (
    <span className={`badge ${entry.tone}`}>
      <span aria-hidden="true">{entry.symbol} </span>
      {t(entry.text)}
    </span>
  );
}

function ProvidersTable({ providers }: { readonly providers: readonly ConfiguredProvider[] }) {
  const { t, format } = useApp();
  const { pageItems, controls } = useLocalPages(providers, 20);
  if (providers.length === 0) return <p className="muted">{t('admin.providers.none')}</p>;
  return (
    <div className="table-scroll">
      <table>
        <caption>{t('admin.providers.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('admin.providers.id')}</th>
            <th scope="col">{t('admin.providers.type')}</th>
            <th scope="col">{t('admin.providers.baseUrl')}</th>
            <th scope="col">{t('admin.providers.models')}</th>
          </tr>
        </thead>
        <tbody>
          {pageItems.map((provider) => (
            <tr key={provider.id}>
              <th scope="row">{provider.id}</th>
              <td>{provider.type === null ? '—' : provider.preset === null ? provider.type : `${provider.type} (${provider.preset})`}</td>
              <td>{provider.base_url === null ? '—' : <code>{provider.base_url}</code>}</td>
              <td>
                <ul className="admin-plain-list">
                  {provider.models.map((model) => (
                    <li key={model.name}>
                      <code>{model.name}</code>
                      {model.upstream_name === null ? null : <span className="muted"> → {model.upstream_name}</span>}
                      {model.context_window === null ? null : <span className="muted"> · {t('context.tokens', { tokens: format.tokens(model.context_window) })}</span>}
                      {model.embedding ? <span className="muted"> · {t('admin.providers.embedding')}</span> : null}
                    </li>
                  ))}
                </ul>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {controls}
    </div>
  );
}

function HealthTable({ health }: { readonly health: readonly TargetHealth[] }) {
  const { t, format } = useApp();
  const { pageItems, controls } = useLocalPages(health, 25);
  if (health.length === 0) return <p className="muted">{t('admin.health.none')}</p>;
  return (
    <div className="table-scroll">
      <table>
        <caption>{t('admin.health.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('admin.health.deployment')}</th>
            <th scope="col">{t('admin.health.state')}</th>
            <th scope="col" className="number">{t('admin.health.consecutiveFailures')}</th>
            <th scope="col" className="number">{t('admin.health.successes')}</th>
            <th scope="col" className="number">{t('admin.health.failures')}</th>
            <th scope="col" className="number">{t('admin.health.latency')}</th>
            <th scope="col">{t('admin.health.lastFailure')}</th>
          </tr>
        </thead>
        <tbody>
          {pageItems.map((entry) => (
            <tr key={entry.target}>
              <th scope="row">
                <code>{entry.target}</code>
              </th>
              <td>
                <CircuitBadge state={entry.state} />
              </td>
              <td className="number">{format.number(entry.consecutiveFailures)}</td>
              <td className="number">{format.number(entry.successCount)}</td>
              <td className="number">{format.number(entry.failureCount)}</td>
              <td className="number">{entry.latencyP50Milliseconds === null ? '—' : t('admin.health.milliseconds', { value: format.number(entry.latencyP50Milliseconds, 1) })}</td>
              <td>{entry.lastFailure === null ? '—' : `${format.dateTime(entry.lastFailure.at)}: ${entry.lastFailure.message}`}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {controls}
    </div>
  );
}

export default function AdminProvidersSection() {
  const { t, format, client } = useApp();
  const [autoRefresh, setAutoRefresh] = useState(true);
  const [checkedAt, setCheckedAt] = useState<string | null>(null);
  const providers = useApiData((signal) => client.get<ListPage<ConfiguredProvider>>('/admin/v1/providers', {}, signal), []);
  const health = useApiData((signal) => client.get<ListPage<TargetHealth>>('/admin/v1/providers/health', {}, signal).finally(() => setCheckedAt(new Date().toISOString())), []);
  const reloadHealth = health.reload;
  useEffect(() => {
    if (!autoRefresh) return;
    const timer = window.setInterval(reloadHealth, autoRefreshMilliseconds);
    return () => window.clearInterval(timer);
  }, [autoRefresh, reloadHealth]);

  return (
    <section aria-labelledby="admin-providers-title" className="panel">
      <h2 id="admin-providers-title">{t('admin.section.providers')}</h2>
      <div className="actions admin-toolbar">
        <button
          type="button"
          onClick={() => {
            providers.reload();
            health.reload();
          }}
          disabled={health.loading}
        >
          {t('admin.refresh')}
        </button>
        <label>
          <input type="checkbox" checked={autoRefresh} onChange={(event) => setAutoRefresh(event.target.checked)} /> {t('admin.health.autoRefresh', { seconds: autoRefreshMilliseconds / 1000 })}
        </label>
        <span className="muted" role="status" aria-live="polite">
          {health.loading ? t('common.loading') : checkedAt === null ? '' : t('admin.health.checkedAt', { time: format.dateTime(checkedAt) })}
        </span>
      </div>
      <AdminErrorNotice error={health.error} />
      {isForbidden(health.error) ? null : (
        <>
          <h3>{t('admin.health.title')}</h3>
          {health.data === undefined ? health.loading ? <Loading /> : null : <HealthTable health={health.data.data} />}
          <h3>{t('admin.providers.title')}</h3>
          {isForbidden(providers.error) ? null : <AdminErrorNotice error={providers.error} />}
          {providers.data === undefined ? providers.loading ? <Loading /> : null : <ProvidersTable providers={providers.data.data} />}
        </>
      )}
    </section>
  );
}
