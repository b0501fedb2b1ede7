// Audit log: admin changes newest first, filtered by actor, action, target and dates, paged;
// each entry's before and after as a diff of the fields that changed, or side by side in full.
import { useState, type FormEvent } from 'react';
import type { AuditEntry, CursorPage } from '../api/admin-types';
import { useApp } from '../app/app-context';
import { Loading } from '../components/error-notice';
import { PageControls } from '../components/pagination';
import { useApiData } from '../components/use-api-data';
import type { MessageKey } from '../i18n/messages';
import { auditQuery, emptyAuditFilters, jsonDiff, type AuditFilters, type DiffKind } from './admin-audit-logic';
import { AdminErrorNotice, isForbidden, useCursorPaging } from './admin-shared';

const pageSize = 25;

const diffKinds: Readonly<Record<DiffKind, { readonly symbol: string; readonly text: MessageKey }>> = {
  added: { symbol: '+', text: 'admin.audit.diff.added' },
  removed: { symbol: '−', text: 'admin.audit.diff.removed' },
  changed: { symbol: '~', text: 'admin.audit.diff.changed' },
};

function EntryChanges({ entry }: { readonly entry: AuditEntry }) {
  const { t } = useApp();
  const rows = jsonDiff(entry.before, entry.after);
  return (
    <details>
      <summary>{t('admin.audit.changes', { count: rows.length })}</summary>
      {rows.length === 0 ? (
        <p className="muted">{t('admin.audit.noChanges')}</p>
      ) : (
        <div className="table-scroll">
          <table className="admin-diff">
            <caption className="visually-hidden">{t('admin.audit.diffCaption', { action: entry.action, target: entry.target_id })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('admin.audit.field')}</th>
                <th scope="col">{t('admin.audit.change')}</th>
                <th scope="col">{t('admin.audit.before')}</th>
                <th scope="col">{t('admin.audit.after')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={`${row.kind}-${row.path}`} className={`admin-diff-${row.kind}`}>
                  <th scope="row">
                    <code>{row.path === '' ? '—' : row.path}</code>
                  </th>
                  <td>
                    <span aria-hidden="true">{diffKinds[row.kind].symbol} </span>
                    {t(diffKinds[row.kind].text)}
                  </td>
                  <td>{row.before === undefined ? '—' : <code>{row.before}</code>}</td>
                  <td>{row.after === undefined ? '—' : <code>{row.after}</code>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <details>
        <summary>{t('admin.audit.sideBySide')}</summary>
        <div className="admin-side-by-side">
          <figure>
            <figcaption>{t('admin.audit.before')}</figcaption>
            <pre>{entry.before === null ? '—' : JSON.stringify(entry.before, null, 2)}</pre>
          </figure>
          <figure>
            <figcaption>{t('admin.audit.after')}</figcaption>
            <pre>{entry.after === null ? '—' : JSON.stringify(entry.after, null, 2)}</pre>
          </figure>
        </div>
      </details>
    </details>
  );
}

export default function AdminAuditSection() {
  const { t, format, client } = useApp();
  const [draft, setDraft] = useState<AuditFilters>(emptyAuditFilters);
  const [filters, setFilters] = useState<AuditFilters>(emptyAuditFilters);
  const paging = useCursorPaging();
  const entries = useApiData((signal) => client.get<CursorPage<AuditEntry>>('/admin/v1/audit-log', auditQuery(filters, paging.cursor, pageSize), signal), [filters, paging.cursor]);
  const apply = (event: FormEvent) => {
    event.preventDefault();
    paging.reset();
    setFilters(draft);
  };
  const field = (name: keyof AuditFilters, label: MessageKey, type = 'text', hint?: MessageKey) => (
    <div className="field">
      <label htmlFor={`audit-${name}`}>{t(label)}</label>
      <input id={`audit-${name}`} type={type} value={draft[name]} onChange={(event) => setDraft({ ...draft, [name]: event.target.value })} aria-describedby={hint === undefined ? undefined : `audit-${name}-hint`} />
      {hint === undefined ? null : (
        <p className="hint" id={`audit-${name}-hint`}>
          {t(hint)}
        </p>
      )}
    </div>
  );
  return (
    <section aria-labelledby="admin-audit-title" className="panel">
      <h2 id="admin-audit-title">{t('admin.section.audit')}</h2>
      <form onSubmit={apply} aria-label={t('admin.audit.filters')}>
        <div className="filters">
          {field('actor', 'admin.audit.actor', 'text', 'admin.audit.actorHint')}
          {field('action', 'admin.audit.action', 'text', 'admin.audit.actionHint')}
          {field('targetType', 'admin.audit.targetType', 'text', 'admin.audit.targetTypeHint')}
          {field('targetId', 'admin.audit.targetId')}
          {field('from', 'admin.audit.from', 'date')}
          {field('to', 'admin.audit.to', 'date')}
        </div>
        <div className="actions">
          <button type="submit">{t('admin.audit.apply')}</button>
          <button
            type="button"
            className="secondary"
            onClick={() => {
              setDraft(emptyAuditFilters);
              paging.reset();
              setFilters(emptyAuditFilters);
            }}
          >
            {t('admin.audit.clear')}
          </button>
        </div>
      </form>
      <AdminErrorNotice error={entries.error} />
      {isForbidden(entries.error) ? null : (
        <>
          {entries.loading ? <Loading /> : null}
          {entries.data === undefined ? null : entries.data.data.length === 0 ? (
            <p className="muted">{t('admin.audit.none')}</p>
          ) : (
            <div className="table-scroll">
              <table>
                <caption>{t('admin.audit.caption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('admin.audit.when')}</th>
                    <th scope="col">{t('admin.audit.actor')}</th>
                    <th scope="col">{t('admin.audit.action')}</th>
                    <th scope="col">{t('admin.audit.target')}</th>
                    <th scope="col">{t('admin.audit.change')}</th>
                  </tr>
                </thead>
                <tbody>
                  {entries.data.data.map((entry) => (
                    <tr key={entry.id}>
                      <th scope="row">{format.dateTime(entry.created_at)}</th>
                      <td>
                        <code>{entry.actor_user_id ?? entry.actor_key_id}</code>
                      </td>
                      <td>
                        <code>{entry.action}</code>
                      </td>
                      <td>
                        {entry.target_type} <code>{entry.target_id}</code>
                      </td>
                      <td>
                        <EntryChanges entry={entry} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {entries.data === undefined ? null : <PageControls page={paging.page} hasPrevious={paging.page > 1} hasNext={entries.data.has_more && entries.data.next_cursor !== null} onPrevious={paging.previous} onNext={() => typeof entries.data?.next_cursor === 'string' && paging.next(entries.data.next_cursor)} />}
        </>
      )}
    </section>
  );
}
