// Monthly statements: choose an organisation and a month, read the statement's totals and its
// lines by model and by project, and download it as JSON or as the API's own CSV (fetched with
// the client so the key goes with it, then saved from a Blob).
import { useState } from 'react';
import type { ListPage, Organisation } from '../api/api-types';
import { useApp } from '../app/app-context';
import { ErrorNotice, Loading } from '../components/error-notice';
import { useLocalPages } from '../components/pagination';
import { useApiData } from '../components/use-api-data';
import type { Currency } from '../i18n/locale-format';
import { monthOf, statementFileName } from './console-money-logic';
import { isForbidden, OrganisationPicker, saveFile } from './console-shared';

interface StatementLine {
  readonly name: string;
  readonly currency: Currency;
  readonly requests: number;
  readonly prompt_tokens: number;
  readonly completion_tokens: number;
  readonly cost: number;
}

interface Statement {
  readonly organisation_id: string;
  readonly month: string;
  readonly currency: Currency;
  readonly opening_balance: number;
  readonly credits_total: number;
  readonly usage_by_model: readonly StatementLine[];
  readonly usage_by_project: readonly StatementLine[];
  readonly usage_total: number;
  readonly usage_charged: number;
  readonly closing_balance: number;
}

function LinesTable({ caption, heading, lines }: { readonly caption: string; readonly heading: string; readonly lines: readonly StatementLine[] }) {
  const { t, format } = useApp();
  const { pageItems, controls } = useLocalPages(lines, 20);
  if (lines.length === 0) return null;
  return (
    <div className="table-scroll">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{heading}</th>
            <th scope="col" className="number">{t('account.statement.requests')}</th>
            <th scope="col" className="number">{t('usage.tokens')}</th>
            <th scope="col" className="number">{t('account.statement.cost')}</th>
          </tr>
        </thead>
        <tbody>
          {pageItems.map((line) => (
            <tr key={`${line.name}-${line.currency}`}>
              <th scope="row">{line.name}</th>
              <td className="number">{format.number(line.requests)}</td>
              <td className="number">{format.tokens(line.prompt_tokens + line.completion_tokens)}</td>
              <td className="number">{format.money(line.cost, line.currency)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {controls}
    </div>
  );
}

/** `refreshKey`: changes when money moved (a top-up, a redeemed code), so the statement is read again. */
export default function StatementSection({ organisations, refreshKey }: { readonly organisations: ListPage<Organisation> | undefined; readonly refreshKey: number }) {
  const { t, format, client } = useApp();
  const [chosen, setChosen] = useState('');
  const [month, setMonth] = useState(() => monthOf(new Date()));
  const [downloadError, setDownloadError] = useState<unknown>(null);
  const [downloading, setDownloading] = useState(false);
  const organisationId = chosen !== '' ? chosen : (organisations?.data[0]?.id ?? '');
  const validMonth = /^\d{4}-(0[1-9]|1[0-2])$/.test(month);
  const path = `/admin/v1/organisations/${encodeURIComponent(organisationId)}/statements/${encodeURIComponent(month)}`;
  const statement = useApiData(async (signal) => (organisationId === '' || !validMonth ? null : client.get<Statement>(path, {}, signal)), [organisationId, month, refreshKey]);
  if (isForbidden(statement)) return null;
  const shown = statement.data ?? null;

  const downloadCsv = async () => {
    setDownloadError(null);
    setDownloading(true);
    try {
      const response = await client.send('GET', `${path}?format=csv`, { accept: 'text/csv' });
      saveFile(await response.blob(), statementFileName(organisationId, month, 'csv'));
    } catch (failure) {
      setDownloadError(failure);
    } finally {
      setDownloading(false);
    }
  };
  const downloadJson = () => {
    if (shown !== null) saveFile(new Blob([`${JSON.stringify(shown, null, 2)}\n`], { type: 'application/json' }), statementFileName(organisationId, month, 'json'));
  };

  return (
    <section aria-labelledby="statement-title" className="panel">
      <h2 id="statement-title">{t('account.statement.title')}</h2>
      <div className="filters">
        <OrganisationPicker id="statement-organisation" organisations={organisations} value={organisationId} onChange={setChosen} />
        <div className="field">
          <label htmlFor="statement-month">{t('account.statement.month')}</label>
          <input id="statement-month" type="month" value={month} onChange={(event) => setMonth(event.target.value)} />
        </div>
      </div>
      <ErrorNotice error={statement.error} />
      {statement.loading ? <Loading /> : null}
      {shown === null ? null : (
        <>
          <dl className="facts" data-testid="statement-totals">
            <dt>{t('account.statement.opening')}</dt>
            <dd>{format.money(shown.opening_balance, shown.currency)}</dd>
            <dt>{t('account.statement.credits')}</dt>
            <dd>{format.money(shown.credits_total, shown.currency)}</dd>
            <dt>{t('account.statement.usage')}</dt>
            <dd>{format.money(shown.usage_total, shown.currency)}</dd>
            <dt>{t('account.statement.closing')}</dt>
            <dd>{format.money(shown.closing_balance, shown.currency)}</dd>
          </dl>
          {shown.usage_by_model.length === 0 && shown.usage_by_project.length === 0 ? <p className="muted">{t('usage.none')}</p> : null}
          {shown.usage_by_model.length === 0 && shown.usage_by_project.length === 0 ? null : (
            // Folded: the usage section above already lists the same models; the statement's lines are there when wanted.
            <details className="console-lines">
              <summary>{t('account.statement.lines', { count: format.number(shown.usage_by_model.length + shown.usage_by_project.length) })}</summary>
              <LinesTable caption={t('account.statement.byModel')} heading={t('usage.group.model')} lines={shown.usage_by_model} />
              <LinesTable caption={t('account.statement.byProject')} heading={t('usage.group.project')} lines={shown.usage_by_project} />
            </details>
          )}
          <div className="actions console-actions">
            <button type="button" onClick={() => void downloadCsv()} disabled={downloading}>
              {downloading ? t('account.working') : t('account.statement.downloadCsv')}
            </button>
            <button type="button" className="secondary" onClick={downloadJson}>
              {t('account.statement.downloadJson')}
            </button>
          </div>
          <ErrorNotice error={downloadError} />
        </>
      )}
    </section>
  );
}
