// The builder's definition form: name, slug, description, category, instructions, base model,
// conversation starters, capabilities and visibility, saved as the draft with PATCH (only the
// fields that changed are sent).
import { useState, type FormEvent } from 'react';
import type { GatewayModel, ListPage } from '../api/api-types';
import { gptCategories, gptVisibilities, type GptDraft, type GptVisibility } from '../api/gpt-types';
import { useApp } from '../app/app-context';
import { ErrorNotice } from '../components/error-notice';
import { useApiData } from '../components/use-api-data';
import { baseModelChoices, draftChanges, formFromDraft, formProblems, maximumStarters, type BuilderForm } from './gpt-builder-logic';
import { categoryLabel } from './gpt-shared';

/** The base models a key may build on: GET /v1/models without the GPTs. */
export function useBaseModels(current: string): { readonly choices: readonly string[]; readonly error: unknown } {
  const { client, identity } = useApp();
  const models = useApiData((signal) => client.get<ListPage<GatewayModel>>('/v1/models', {}, signal), [identity]);
  return { choices: baseModelChoices(models.data?.data ?? [], current), error: models.error };
}

export function BuilderDefinitionForm({ draft, onSaved }: { readonly draft: GptDraft; readonly onSaved: () => void }) {
  const { t, client } = useApp();
  const [form, setForm] = useState<BuilderForm>(() => formFromDraft(draft));
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const { choices, error: modelsError } = useBaseModels(form.baseModel);
  const problems = formProblems(form);
  const changes = draftChanges(form, draft);
  const unsaved = Object.keys(changes).length > 0;
  const change = (update: Partial<BuilderForm>) => {
    setSaved(false);
    setForm({ ...form, ...update });
  };
  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (problems.length > 0 || !unsaved) return;
    setBusy(true);
    setError(null);
    try {
      await client.send('PATCH', `/store/v1/gpts/${encodeURIComponent(draft.id)}`, { body: changes });
      setSaved(true);
      onSaved();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  const text = (field: 'name' | 'slug' | 'description', label: string, hint?: string) => (
    <div className="field">
      <label htmlFor={`builder-${field}`}>{label}</label>
      <input id={`builder-${field}`} value={form[field]} onChange={(event) => change({ [field]: event.target.value })} aria-describedby={hint === undefined ? undefined : `builder-${field}-hint`} />
      {hint === undefined ? null : (
        <p className="hint" id={`builder-${field}-hint`}>
          {hint}
        </p>
      )}
    </div>
  );
  return (
    <form className="panel" onSubmit={(event) => void save(event)} aria-labelledby="builder-definition-title">
      <h2 id="builder-definition-title">{t('gpts.builder.definition')}</h2>
      <div className="filters">
        {text('name', t('gpts.builder.name'))}
        {text('slug', t('gpts.builder.slug'), draft.latest_version === null ? t('gpts.builder.slugHint') : t('gpts.builder.slugLocked'))}
        <div className="field">
          <label htmlFor="builder-category">{t('gpts.categoryLabel')}</label>
          <select id="builder-category" value={form.category} onChange={(event) => change({ category: event.target.value })}>
            <option value="">{t('gpts.category.none')}</option>
            {gptCategories.map((category) => (
              <option key={category} value={category}>
                {categoryLabel(t, category)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="builder-base-model">{t('gpts.builder.baseModel')}</label>
          <select id="builder-base-model" value={form.baseModel} onChange={(event) => change({ baseModel: event.target.value })}>
            {choices.map((choice) => (
              <option key={choice} value={choice}>
                {choice}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="builder-visibility">{t('gpts.builder.visibility')}</label>
          <select id="builder-visibility" value={form.visibility} onChange={(event) => change({ visibility: event.target.value as GptVisibility })}>
            {gptVisibilities.map((visibility) => (
              <option key={visibility} value={visibility}>
                {t(`gpts.visibility.${visibility}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      {text('description', t('gpts.builder.description'))}
      <div className="field">
        <label htmlFor="builder-instructions">{t('gpts.builder.instructions')}</label>
        <textarea id="builder-instructions" rows={8} maxLength={32000} value={form.instructions} onChange={(event) => change({ instructions: event.target.value })} />
      </div>
      <div className="field">
        <label htmlFor="builder-starters">{t('gpts.builder.starters')}</label>
        <textarea id="builder-starters" rows={4} value={form.starters} onChange={(event) => change({ starters: event.target.value })} aria-describedby="builder-starters-hint" />
        <p className="hint" id="builder-starters-hint">
          {t('gpts.builder.startersHint', { count: maximumStarters })}
        </p>
      </div>
      <fieldset>
        <legend>{t('gpts.page.capabilities')}</legend>
        <label>
          <input type="checkbox" checked={form.capabilities.knowledge} onChange={(event) => change({ capabilities: { ...form.capabilities, knowledge: event.target.checked } })} /> {t('gpts.capability.knowledge')}
        </label>{' '}
        <label>
          <input type="checkbox" checked={form.capabilities.actions} onChange={(event) => change({ capabilities: { ...form.capabilities, actions: event.target.checked } })} /> {t('gpts.capability.actions')}
        </label>
      </fieldset>
      {problems.length === 0 ? null : (
        <ul className="notice notice-error" role="alert">
          {problems.map((problem) => (
            <li key={problem}>{t(problem)}</li>
          ))}
        </ul>
      )}
      <ErrorNotice error={modelsError} />
      <ErrorNotice error={error} />
      {saved ? (
        <p className="notice notice-success" role="status">
          {t('gpts.builder.saved')}
        </p>
      ) : null}
      <div className="actions">
        <button type="submit" disabled={busy || problems.length > 0 || !unsaved}>
          {busy ? t('gpts.builder.saving') : t('gpts.builder.save')}
        </button>
        {unsaved ? <span className="muted">{t('gpts.builder.unsaved')}</span> : null}
      </div>
    </form>
  );
}
