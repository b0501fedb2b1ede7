// Importing a model card from a pasted document: a Modelmart card as JSON, or a Hugging Face
// README with the facts it does not state in a form the catalogue needs.
import { useState, type FormEvent } from 'react';
import type { ModelCard } from '../api/api-types';
import { useApp } from '../app/app-context';
import { emptyImportForm, importRequestFromForm, type ImportForm } from './admin-models-logic';
import { AdminErrorNotice, useAction } from './admin-shared';

export default function AdminModelImport() {
  const { t, client } = useApp();
  const [form, setForm] = useState<ImportForm>(emptyImportForm);
  const [localProblem, setLocalProblem] = useState<string | null>(null);
  const [imported, setImported] = useState<ModelCard | null>(null);
  const action = useAction();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const request = importRequestFromForm(form);
    if (!request.ok) {
      setLocalProblem(`${t(request.problem.message)} ${request.detail}`.trim());
      return;
    }
    setLocalProblem(null);
    await action.run(async () => {
      setImported(await client.post<ModelCard>('/admin/v1/models/import', request.body));
      setForm(emptyImportForm);
    });
  };
  const text = (name: 'id' | 'vendor' | 'releaseDate' | 'contextWindow', label: string, type = 'text') => (
    <div className="field">
      <label htmlFor={`import-${name}`}>{label}</label>
      <input id={`import-${name}`} type={type} value={form[name]} onChange={(event) => setForm({ ...form, [name]: event.target.value })} />
    </div>
  );
  return (
    <details className="panel">
      <summary>{t('admin.models.import')}</summary>
      <form className="admin-form" onSubmit={(event) => void submit(event)} aria-label={t('admin.models.import')}>
        <div className="field">
          <label htmlFor="import-format">{t('admin.models.importFormat')}</label>
          <select id="import-format" value={form.format} onChange={(event) => setForm({ ...form, format: event.target.value === 'huggingface' ? 'huggingface' : 'json' })}>
            <option value="json">{t('admin.models.importFormat.json')}</option>
            <option value="huggingface">{t('admin.models.importFormat.huggingface')}</option>
          </select>
        </div>
        {form.format === 'huggingface' ? (
          <div className="filters">
            {text('id', t('admin.models.importId'))}
            {text('vendor', t('admin.models.importVendor'))}
            {text('releaseDate', t('admin.models.importReleaseDate'), 'date')}
            {text('contextWindow', t('admin.models.importContextWindow'), 'number')}
          </div>
        ) : null}
        <div className="field field-wide">
          <label htmlFor="import-document">{t('admin.models.importDocument')}</label>
          <textarea id="import-document" className="admin-json" rows={10} spellCheck={false} value={form.document} onChange={(event) => setForm({ ...form, document: event.target.value })} aria-describedby="import-problem" />
          <p className="admin-field-error" id="import-problem">
            {localProblem ?? ''}
          </p>
        </div>
        <AdminErrorNotice error={action.error} />
        {imported === null ? null : (
          <div className="notice notice-success" role="status">
            <p>{t('admin.models.imported', { name: imported.name, id: imported.id })}</p>
          </div>
        )}
        <div className="actions">
          <button type="submit" disabled={action.busy}>
            {action.busy ? t('admin.saving') : t('admin.models.importButton')}
          </button>
        </div>
      </form>
    </details>
  );
}
