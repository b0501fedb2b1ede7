// Evaluation runs: the form that starts one, and every run page by page, newest first, with
// its model, benchmark, status, progress, score and times. Administrators only (the API says so).
import { useEffect, useState } from 'react';
import type { ListPage } from '../api/api-types';
import type { EvaluationRun } from '../api/evaluation-types';
import { useApp } from '../app/app-context';
import { ErrorNotice, Loading } from '../components/error-notice';
import { Link } from '../components/link';
import { PageControls } from '../components/pagination';
import { useApiData } from '../components/use-api-data';
import { isFinishedStatus, progressPercent } from './evaluation-progress-logic';
import { measuredPercent } from './evaluation-results-logic';
import { RunStatusBadge, SignInFirst, useBenchmarkLabel } from './evaluation-shared';
import { EvaluationStartForm } from './evaluation-start-form';
import './evaluation-pages.css';

const pageSize = 20;
const refreshMilliseconds = 3000;

function RunsTable({ runs }: { readonly runs: readonly EvaluationRun[] }) {
  const { t, format } = useApp();
  const benchmarkLabel = useBenchmarkLabel();
  return (
    <div className="table-scroll">
      <table>
        <caption>{t('evaluations.list.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('evaluations.column.run')}</th>
            <th scope="col">{t('evaluations.column.model')}</th>
            <th scope="col">{t('evaluations.column.benchmark')}</th>
            <th scope="col">{t('evaluations.column.status')}</th>
            <th scope="col" className="number">{t('evaluations.column.progress')}</th>
            <th scope="col" className="number">{t('evaluations.column.score')}</th>
            <th scope="col">{t('evaluations.column.started')}</th>
            <th scope="col">{t('evaluations.column.finished')}</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => {
            const score = measuredPercent(run);
            return (
              <tr key={run.id}>
                <th scope="row">
                  <Link href={`/evaluations/${encodeURIComponent(run.id)}`}>
                    <code>{run.id}</code>
                  </Link>
                </th>
                <td>{run.model}</td>
                <td>{benchmarkLabel(run.benchmark)}</td>
                <td>
                  <RunStatusBadge status={run.status} />
                </td>
                <td className="number">
                  {t('evaluations.progress.percent', { percent: format.number(progressPercent(run.progress)) })}
                  <div className="muted">{t('evaluations.progress.items', { done: format.number(run.progress.done + run.progress.failed), total: format.number(run.progress.total) })}</div>
                </td>
                <td className="number">{score === null ? '—' : format.score(score)}</td>
                <td>{run.started_at === null ? '—' : format.dateTime(run.started_at)}</td>
                <td>{run.finished_at === null ? '—' : format.dateTime(run.finished_at)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export default function EvaluationsPage() {
  const { t, client, identity } = useApp();
  const [cursors, setCursors] = useState<readonly (string | null)[]>([null]);
  const cursor = cursors[cursors.length - 1] ?? null;
  const runs = useApiData(async (signal) => (identity === null ? null : client.get<ListPage<EvaluationRun>>('/admin/v1/evaluations', { limit: pageSize, cursor }, signal)), [identity, cursor]);
  // While a run on this page still works, its row is read again every few seconds.
  const working = runs.data?.data.some((run) => !isFinishedStatus(run.status)) ?? false;
  const { reload } = runs;
  useEffect(() => {
    if (!working) return undefined;
    const timer = setInterval(reload, refreshMilliseconds);
    return () => clearInterval(timer);
  }, [working, reload]);

  return (
    <section aria-labelledby="evaluations-title" className="evaluations">
      <h1 id="evaluations-title">{t('nav.evaluations')}</h1>
      <p className="muted">{t('evaluations.intro')}</p>
      {identity === null ? (
        <SignInFirst />
      ) : (
        <>
          <EvaluationStartForm />
          <h2>{t('evaluations.list.title')}</h2>
          <div className="actions">
            <button type="button" className="secondary" onClick={runs.reload}>
              {t('evaluations.list.refresh')}
            </button>
          </div>
          <ErrorNotice error={runs.error} />
          {runs.loading && runs.data === undefined ? <Loading /> : null}
          {runs.data === undefined || runs.data === null ? null : runs.data.data.length === 0 ? (
            <p>{t('evaluations.list.empty')}</p>
          ) : (
            <>
              <RunsTable runs={runs.data.data} />
              <PageControls
                page={cursors.length}
                hasPrevious={cursors.length > 1}
                hasNext={runs.data.has_more === true && runs.data.next_cursor !== null && runs.data.next_cursor !== undefined}
                onPrevious={() => setCursors((previous) => previous.slice(0, -1))}
                onNext={() => {
                  const next = runs.data?.next_cursor;
                  if (next !== null && next !== undefined) setCursors((previous) => [...previous, next]);
                }}
              />
            </>
          )}
        </>
      )}
    </section>
  );
}
