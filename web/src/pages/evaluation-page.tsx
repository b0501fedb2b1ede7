// One evaluation run: its live progress (a progress bar, items done, time spent and left, the
// running score and spend), a cancel button while it works, and once done its scores beside
// the vendor's published one as a chart and a table, and its items page by page.
import { useEffect, useState } from 'react';
import type { ModelDetail } from '../api/api-types';
import type { EvaluationRun } from '../api/evaluation-types';
import { useApp } from '../app/app-context';
import GroupedBarChart from '../charts/grouped-bar-chart';
import { ErrorNotice, Loading } from '../components/error-notice';
import { Link } from '../components/link';
import { useApiData } from '../components/use-api-data';
import { shotsOf, isBenchmarkName } from './evaluation-form-logic';
import { EvaluationItemsTable } from './evaluation-items-table';
import { useLiveRun } from './evaluation-live-run';
import { elapsedMilliseconds, estimatedRemainingMilliseconds, finishedItems, isFinishedStatus, progressPercent } from './evaluation-progress-logic';
import { measuredPercent, metricRows, publishedResult, resultBars } from './evaluation-results-logic';
import { RunStatusBadge, SignInFirst, SpendText, useBenchmarkLabel, useDurationText } from './evaluation-shared';
import './evaluation-pages.css';

/** The current time, ticking each second while `running`, so elapsed and remaining times move. */
function useNow(running: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    setNow(Date.now());
    if (!running) return undefined;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [running]);
  return now;
}

function ProgressPanel({ run, following }: { readonly run: EvaluationRun; readonly following: boolean }) {
  const { t, format } = useApp();
  const durationText = useDurationText();
  const finished = isFinishedStatus(run.status);
  const now = useNow(!finished);
  const percent = progressPercent(run.progress);
  const remaining = estimatedRemainingMilliseconds(run, now);
  const score = measuredPercent(run);
  const itemsText = t('evaluations.progress.items', { done: format.number(finishedItems(run.progress)), total: format.number(run.progress.total) });
  return (
    <section className="panel" aria-labelledby="evaluation-progress-title">
      <h2 id="evaluation-progress-title">{t('evaluations.progress.title')}</h2>
      <div className="evaluation-progress-row">
        <div
          className="evaluation-progressbar"
          role="progressbar"
          aria-label={t('evaluations.progress.label')}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent}
          aria-valuetext={t('evaluations.progress.valueText', { percent: format.number(percent), items: itemsText })}
        >
          <div className="evaluation-progressbar-fill" style={{ width: `${percent}%` }} />
        </div>
        <strong className="evaluation-progress-percent">{t('evaluations.progress.percent', { percent: format.number(percent) })}</strong>
      </div>
      <dl className="facts">
        <dt>{t('evaluations.progress.itemsLabel')}</dt>
        <dd data-testid="evaluation-items-done">
          {itemsText}
          {run.progress.failed > 0 ? <span className="muted"> {t('evaluations.progress.failed', { failed: format.number(run.progress.failed) })}</span> : null}
        </dd>
        <dt>{t('evaluations.progress.elapsed')}</dt>
        <dd>{durationText(elapsedMilliseconds(run, now))}</dd>
        <dt>{t('evaluations.progress.remaining')}</dt>
        <dd>{finished ? t('evaluations.progress.none') : remaining === null ? t('evaluations.progress.estimating') : durationText(remaining)}</dd>
        <dt>{finished && run.metrics !== null ? t('evaluations.progress.finalScore') : t('evaluations.progress.runningScore')}</dt>
        <dd data-testid="evaluation-score">{score === null ? '—' : format.score(score)}</dd>
        <dt>{t('evaluations.progress.spend')}</dt>
        <dd>
          <SpendText spend={run.spend} />
        </dd>
      </dl>
      {finished ? null : <p className="muted">{following ? t('evaluations.progress.live') : t('evaluations.progress.polling')}</p>}
    </section>
  );
}

function ResultsPanel({ run }: { readonly run: EvaluationRun }) {
  const { t, format, client } = useApp();
  const benchmarkLabel = useBenchmarkLabel();
  const cardId = run.catalog_model_id;
  const card = useApiData(async (signal) => (cardId === null ? null : client.get<ModelDetail>(`/store/v1/models/${encodeURIComponent(cardId)}`, {}, signal)), [cardId]);
  if (run.metrics === null) return null;
  const rows = metricRows(run.metrics, run.benchmark);
  const published = card.data === undefined || card.data === null ? null : publishedResult(card.data.benchmarks, run.benchmark);
  const bars = resultBars(rows, published);
  return (
    <section className="panel" aria-labelledby="evaluation-results-title">
      <h2 id="evaluation-results-title">{t('evaluations.results.title', { benchmark: benchmarkLabel(run.benchmark) })}</h2>
      <GroupedBarChart
        labels={bars.labels}
        series={[
          { label: t('evaluations.results.measured'), values: bars.measured },
          { label: t('evaluations.results.published'), values: bars.published },
        ]}
        label={t('evaluations.results.chartLabel', { benchmark: benchmarkLabel(run.benchmark) })}
        valueLabel={t('evaluations.results.percent')}
        formatValue={(value) => format.score(value)}
      />
      <div className="table-scroll">
        <table>
          <caption>{t('evaluations.results.caption', { items: format.number(run.metrics.n) })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('evaluations.results.metric')}</th>
              <th scope="col" className="number">{t('evaluations.results.measured')}</th>
              <th scope="col" className="number">{t('evaluations.results.published')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.metric}>
                <th scope="row">
                  <code>{row.metric}</code>
                  {row.primary ? <span className="muted"> {t('evaluations.results.onCard')}</span> : null}
                </th>
                <td className="number">{format.score(row.percent)}</td>
                <td className="number">{row.primary && published !== null ? format.score(published.score) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {run.metrics.invalid === undefined || run.metrics.invalid === 0 ? null : <p className="muted">{t('evaluations.results.invalid', { invalid: format.number(run.metrics.invalid) })}</p>}
      {published !== null && published.source.kind === 'published' ? (
        <p className="muted">
          {published.setting.shots === undefined ? t('evaluations.results.publishedSource', { date: format.date(published.source.published_at) }) : t('evaluations.results.publishedSourceShots', { date: format.date(published.source.published_at), shots: published.setting.shots })}{' '}
          <a href={published.source.citation_url}>{published.source.citation_url}</a>
        </p>
      ) : (
        <p className="muted">{cardId === null ? t('evaluations.results.noCard') : t('evaluations.results.noPublished')}</p>
      )}
      {cardId === null ? null : <Link href={`/models/${encodeURIComponent(cardId)}`}>{t('evaluations.results.cardLink')}</Link>}
    </section>
  );
}

function RunFacts({ run }: { readonly run: EvaluationRun }) {
  const { t, format } = useApp();
  const benchmarkLabel = useBenchmarkLabel();
  const parameters = run.parameters;
  const shots = isBenchmarkName(run.benchmark) && (run.setting === 'default' || run.setting === 'instruct' || run.setting === 'minerva') ? shotsOf(run.benchmark, run.setting) : null;
  return (
    <dl className="facts panel">
      <dt>{t('evaluations.column.model')}</dt>
      <dd>{run.model}</dd>
      <dt>{t('evaluations.column.benchmark')}</dt>
      <dd>
        {benchmarkLabel(run.benchmark)} · {run.setting}
        {shots === null ? null : ` · ${t('evaluations.facts.shots', { shots })}`}
      </dd>
      <dt>{t('evaluations.facts.settings')}</dt>
      <dd>{t('evaluations.facts.settingsValue', { api: parameters.api, limit: parameters.limit === null ? '—' : format.number(parameters.limit), samples: parameters.samples, temperature: parameters.temperature, maxTokens: parameters.max_tokens, seed: parameters.seed })}</dd>
      <dt>{t('evaluations.column.created')}</dt>
      <dd>{format.dateTime(run.created_at)}</dd>
      <dt>{t('evaluations.column.started')}</dt>
      <dd>{run.started_at === null ? '—' : format.dateTime(run.started_at)}</dd>
      <dt>{t('evaluations.column.finished')}</dt>
      <dd>{run.finished_at === null ? '—' : format.dateTime(run.finished_at)}</dd>
    </dl>
  );
}

export default function EvaluationPage({ id }: { readonly id: string }) {
  const { t, client, identity } = useApp();
  const live = useLiveRun(id);
  const [cancelError, setCancelError] = useState<unknown>(null);
  const [cancelling, setCancelling] = useState(false);
  const run = live.run;

  const cancel = async () => {
    setCancelling(true);
    setCancelError(null);
    try {
      live.replace(await client.post<EvaluationRun>(`/admin/v1/evaluations/${encodeURIComponent(id)}/cancel`, undefined));
    } catch (failure) {
      setCancelError(failure);
    } finally {
      setCancelling(false);
    }
  };

  return (
    <section aria-labelledby="evaluation-title" className="evaluations">
      <p>
        <Link href="/evaluations">{t('evaluations.back')}</Link>
      </p>
      <h1 id="evaluation-title">{t('evaluations.run.title', { id })}</h1>
      {identity === null ? <SignInFirst /> : null}
      <ErrorNotice error={live.error} />
      {run === undefined ? (
        live.error === null && identity !== null ? <Loading /> : null
      ) : (
        <>
          <div className="actions" aria-live="polite">
            <RunStatusBadge status={run.status} />
            {isFinishedStatus(run.status) ? null : (
              <button type="button" className="secondary" onClick={() => void cancel()} disabled={cancelling}>
                {t('evaluations.run.cancel')}
              </button>
            )}
          </div>
          <ErrorNotice error={cancelError} />
          {run.error === null ? null : (
            <div className="notice notice-error" role="alert">
              <p>{t('evaluations.run.error', { error: run.error })}</p>
            </div>
          )}
          <ProgressPanel run={run} following={live.mode === 'stream'} />
          <ResultsPanel run={run} />
          <RunFacts run={run} />
          <EvaluationItemsTable runId={run.id} version={`${run.status}:${finishedItems(run.progress)}`} />
        </>
      )}
    </section>
  );
}
