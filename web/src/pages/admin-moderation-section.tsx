// Moderation queue: reports against GPTs, oldest first, paged; resolve a report, or hide,
// restore, feature or unfeature the GPT it names. Hiding resolves the GPT's open reports.
import { useState } from 'react';
import type { CursorPage, GptReport, ModeratedGpt } from '../api/admin-types';
import { useApp } from '../app/app-context';
import { Loading } from '../components/error-notice';
import { PageControls } from '../components/pagination';
import { useApiData } from '../components/use-api-data';
import { isMessageKey, type MessageKey } from '../i18n/messages';
import { AdminErrorNotice, isForbidden, useAction, useCursorPaging } from './admin-shared';

type StatusFilter = 'open' | 'resolved' | 'all';
type GptAction = 'hide' | 'restore' | 'feature' | 'unfeature';

const pageSize = 20;

/** A reason the catalogue knows in words; one it does not (added to the API later) as the API names it. */
function reasonText(reason: string, t: (key: MessageKey) => string): string {
  const key = `admin.moderation.reason.${reason}`;
  return isMessageKey(key) ? t(key) : reason;
}

function ReportRow({ report, onChanged, onOutcome }: { readonly report: GptReport; readonly onChanged: () => void; readonly onOutcome: (text: string) => void }) {
  const { t, format, client } = useApp();
  const [note, setNote] = useState('');
  const action = useAction();
  const slug = report.gpt_slug;
  const noteId = `moderation-note-${report.id}`;
  const resolve = () =>
    action.run(async () => {
      await client.post(`/admin/v1/gpts/reports/${encodeURIComponent(report.id)}/resolve`, { resolution: note });
      onOutcome(t('admin.moderation.resolvedReport', { slug: slug ?? report.gpt_id }));
      onChanged();
    });
  const moderate = (kind: GptAction) =>
    action.run(async () => {
      if (slug === null) return;
      const outcome = await client.post<ModeratedGpt>(`/admin/v1/gpts/${encodeURIComponent(slug)}/${kind}`, kind === 'hide' ? { reason: note } : {});
      onOutcome(t(`admin.moderation.outcome.${kind}`, { slug, reports: outcome.resolved_reports }));
      onChanged();
    });
  return (
    <tr>
      <th scope="row">{slug === null ? <span className="muted">{t('admin.moderation.deletedGpt')}</span> : <code>{slug}</code>}</th>
      <td>
        {reasonText(report.reason, t)}
        {report.details === null ? null : <p className="muted">{report.details}</p>}
      </td>
      <td>{format.dateTime(report.created_at)}</td>
      <td>
        {report.status === 'open' ? (
          <span className="badge badge-warn">
            <span aria-hidden="true">● </span>
            {t('admin.moderation.status.open')}
          </span>
        ) : (
          <span className="badge badge-good">
            <span aria-hidden="true">✓ </span>
            {t('admin.moderation.status.resolved')}
          </span>
        )}
        {report.resolution === null ? null : <p className="muted">{report.resolution}</p>}
      </td>
      <td>
        <div className="field">
          <label htmlFor={noteId}>{t('admin.moderation.note')}</label>
          <input id={noteId} value={note} onChange={(event) => setNote(event.target.value)} aria-describedby={`${noteId}-hint`} />
          <p className="hint" id={`${noteId}-hint`}>
            {t('admin.moderation.noteHint')}
          </p>
        </div>
        <div className="actions">
          {report.status === 'open' ? (
            <button type="button" className="secondary" disabled={action.busy || note.trim() === ''} onClick={() => void resolve()} aria-label={t('admin.moderation.resolveNamed', { slug: slug ?? report.gpt_id })}>
              {t('admin.moderation.resolve')}
            </button>
          ) : null}
          {slug === null
            ? null
            : (['hide', 'restore', 'feature', 'unfeature'] as const).map((kind) => (
                <button key={kind} type="button" className="secondary" disabled={action.busy || (kind === 'hide' && note.trim() === '')} onClick={() => void moderate(kind)} aria-label={t(`admin.moderation.actionNamed.${kind}`, { slug })}>
                  {t(`admin.moderation.action.${kind}`)}
                </button>
              ))}
        </div>
        <AdminErrorNotice error={action.error} />
      </td>
    </tr>
  );
}

export default function AdminModerationSection() {
  const { t, client } = useApp();
  const [status, setStatus] = useState<StatusFilter>('open');
  const [outcome, setOutcome] = useState<string | null>(null);
  const paging = useCursorPaging();
  const reports = useApiData((signal) => client.get<CursorPage<GptReport>>('/admin/v1/gpts/reports', { status: status === 'all' ? undefined : status, limit: pageSize, cursor: paging.cursor }, signal), [status, paging.cursor]);
  return (
    <section aria-labelledby="admin-moderation-title" className="panel">
      <h2 id="admin-moderation-title">{t('admin.section.moderation')}</h2>
      <AdminErrorNotice error={reports.error} />
      {isForbidden(reports.error) ? null : (
        <>
          <div className="actions admin-toolbar">
            <label htmlFor="moderation-status">{t('admin.moderation.statusFilter')}</label>
            <select
              id="moderation-status"
              value={status}
              onChange={(event) => {
                paging.reset();
                setStatus(event.target.value === 'resolved' ? 'resolved' : event.target.value === 'all' ? 'all' : 'open');
              }}
            >
              <option value="open">{t('admin.moderation.status.open')}</option>
              <option value="resolved">{t('admin.moderation.status.resolved')}</option>
              <option value="all">{t('admin.moderation.status.all')}</option>
            </select>
            <button type="button" className="secondary" onClick={reports.reload}>
              {t('admin.refresh')}
            </button>
          </div>
          {outcome === null ? null : (
            <div className="notice notice-success" role="status">
              <p>{outcome}</p>
            </div>
          )}
          {reports.loading && reports.data === undefined ? <Loading /> : null}
          {reports.data === undefined ? null : reports.data.data.length === 0 ? (
            <p className="muted">{t('admin.moderation.none')}</p>
          ) : (
            <div className="table-scroll">
              <table>
                <caption>{t('admin.moderation.caption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('admin.moderation.gpt')}</th>
                    <th scope="col">{t('admin.moderation.reason')}</th>
                    <th scope="col">{t('admin.moderation.reportedAt')}</th>
                    <th scope="col">{t('admin.moderation.status')}</th>
                    <th scope="col">{t('admin.actions')}</th>
                  </tr>
                </thead>
                <tbody>
                  {reports.data.data.map((report) => (
                    <ReportRow key={report.id} report={report} onChanged={reports.reload} onOutcome={setOutcome} />
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {reports.data === undefined ? null : <PageControls page={paging.page} hasPrevious={paging.page > 1} hasNext={reports.data.has_more && reports.data.next_cursor !== null} onPrevious={paging.previous} onNext={() => typeof reports.data?.next_cursor === 'string' && paging.next(reports.data.next_cursor)} />}
        </>
      )}
    </section>
  );
}
