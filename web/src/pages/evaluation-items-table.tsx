// A run's items page by page: the question, the expected answer, the model's answer and
// whether it was right (✓ / ✗ with the word, never colour alone).
import { useState } from 'react';
import type { ListPage } from '../api/api-types';
import type { EvaluationItem } from '../api/evaluation-types';
import { useApp } from '../app/app-context';
import { ErrorNotice, Loading } from '../components/error-notice';
import { PageControls } from '../components/pagination';
import { useApiData } from '../components/use-api-data';
import { shortened, verdictOf } from './evaluation-results-logic';

const pageSize = 10;

/** `version` changes when the run moves on, so the shown page is read again. */
export function EvaluationItemsTable({ runId, version }: { readonly runId: string; readonly version: string }) {
  const { t, format, client } = useApp();
  const [cursors, setCursors] = useState<readonly (string | null)[]>([null]);
  const cursor = cursors[cursors.length - 1] ?? null;
  const items = useApiData((signal) => client.get<ListPage<EvaluationItem>>(`/admin/v1/evaluations/${encodeURIComponent(runId)}/items`, { limit: pageSize, cursor }, signal), [runId, cursor, version]);
  const nextCursor = items.data?.next_cursor ?? null;

  return (
    <section aria-labelledby="evaluation-items-title">
      <h2 id="evaluation-items-title">{t('evaluations.items.title')}</h2>
      <ErrorNotice error={items.error} />
      {items.loading && items.data === undefined ? <Loading /> : null}
      {items.data === undefined ? null : (
        <>
          <div className="table-scroll">
            <table className="evaluation-items">
              <caption>{t('evaluations.items.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col" className="number">{t('evaluations.items.number')}</th>
                  <th scope="col">{t('evaluations.items.question')}</th>
                  <th scope="col">{t('evaluations.items.expected')}</th>
                  <th scope="col">{t('evaluations.items.answer')}</th>
                  <th scope="col">{t('evaluations.items.correct')}</th>
                </tr>
              </thead>
              <tbody>
                {items.data.data.map((item) => {
                  const verdict = verdictOf(item.correct);
                  return (
                    <tr key={item.position}>
                      <td className="number">{format.number(item.position + 1)}</td>
                      <td title={item.question}>{shortened(item.question)}</td>
                      <td>{item.expected ?? '—'}</td>
                      <td>{item.status === 'failed' ? <span className="muted">{t('evaluations.items.failed', { error: item.error ?? '' })}</span> : item.answer === null ? <span className="muted">{t('evaluations.items.waiting')}</span> : shortened(item.answer, 120)}</td>
                      <td className={`evaluation-verdict evaluation-verdict-${verdict.word}`}>
                        <span aria-hidden="true">{verdict.symbol} </span>
                        {t(`evaluations.verdict.${verdict.word}`)}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <PageControls
            page={cursors.length}
            hasPrevious={cursors.length > 1}
            hasNext={nextCursor !== null}
            onPrevious={() => setCursors((previous) => previous.slice(0, -1))}
            onNext={() => {
              if (nextCursor !== null) setCursors((previous) => [...previous, nextCursor]);
            }}
          />
        </>
      )}
    </section>
  );
}
