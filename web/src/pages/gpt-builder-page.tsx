// The GPT builder: /builder lists the GPTs the signed-in key may edit and starts a new one;
// /builder/{id} edits one: its definition (saved as the draft), knowledge, actions, a preview
// chat with the saved draft, and publishing it as the next version.
import { useState, type FormEvent } from 'react';
import type { GptDraft } from '../api/gpt-types';
import { hrefFor } from '../app/router';
import { useApp } from '../app/app-context';
import { ErrorNotice, Loading } from '../components/error-notice';
import { Link } from '../components/link';
import { useLocalPages } from '../components/pagination';
import { useApiData } from '../components/use-api-data';
import { ActionsSection } from './gpt-builder-actions';
import { BuilderDefinitionForm, useBaseModels } from './gpt-builder-definition';
import { KnowledgeSection } from './gpt-builder-knowledge';
import { GptChatPanel } from './gpt-chat-panel';
import { gptModelName } from './gpt-page-logic';
import { categoryLabel } from './gpt-shared';
import './gpt-pages.css';

function SignInFirst() {
  const { t } = useApp();
  return (
    <section aria-labelledby="builder-title">
      <h1 id="builder-title">{t('gpts.builder.title')}</h1>
      <p className="notice" role="note">
        {t('gpts.builder.signIn')}
      </p>
    </section>
  );
}

function NewGptForm() {
  const { t, client, navigate } = useApp();
  const [name, setName] = useState('');
  const [baseModel, setBaseModel] = useState('');
  const { choices, error: modelsError } = useBaseModels('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const chosen = baseModel === '' ? (choices[0] ?? '') : baseModel;
  const create = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const created = await client.post<GptDraft>('/store/v1/gpts', { name: name.trim(), base_model: chosen });
      navigate(hrefFor('gpt-builder', { id: created.id }));
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };
  return (
    <form className="panel" onSubmit={(event) => void create(event)} aria-labelledby="builder-new-title">
      <h2 id="builder-new-title">{t('gpts.builder.new')}</h2>
      <div className="filters">
        <div className="field">
          <label htmlFor="builder-new-name">{t('gpts.builder.name')}</label>
          <input id="builder-new-name" required maxLength={100} value={name} onChange={(event) => setName(event.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="builder-new-model">{t('gpts.builder.baseModel')}</label>
          <select id="builder-new-model" value={chosen} onChange={(event) => setBaseModel(event.target.value)}>
            {choices.map((choice) => (
              <option key={choice} value={choice}>
                {choice}
              </option>
            ))}
          </select>
        </div>
      </div>
      <ErrorNotice error={modelsError} />
      <ErrorNotice error={error} />
      <div className="actions">
        <button type="submit" disabled={busy || name.trim() === '' || chosen === ''}>
          {t('gpts.builder.create')}
        </button>
      </div>
    </form>
  );
}

function BuilderList() {
  const { t, client, format } = useApp();
  const mine = useApiData((signal) => client.get<{ readonly data: readonly GptDraft[] }>('/store/v1/builders/me/gpts', {}, signal), []);
  const { pageItems, controls } = useLocalPages(mine.data?.data ?? [], 10);
  return (
    <section aria-labelledby="builder-title">
      <h1 id="builder-title">{t('gpts.builder.title')}</h1>
      <NewGptForm />
      <h2>{t('gpts.builder.yours')}</h2>
      <ErrorNotice error={mine.error} />
      {mine.loading ? <Loading /> : null}
      {mine.data !== undefined && mine.data.data.length === 0 ? <p>{t('gpts.builder.noneYet')}</p> : null}
      <ul className="cards" aria-label={t('gpts.builder.yours')}>
        {pageItems.map((gpt) => (
          <li key={gpt.id} className="card">
            <h3>
              <Link href={hrefFor('gpt-builder', { id: gpt.id })}>{gpt.name}</Link>
            </h3>
            <p className="muted">
              {categoryLabel(t, gpt.category)} · {t(`gpts.visibility.${gpt.visibility}`)} · {gpt.latest_version === null ? t('gpts.page.unpublished') : t('gpts.page.versionNumber', { version: gpt.latest_version })} · {t('gpts.builder.updated', { date: format.date(gpt.updated_at) })}
            </p>
          </li>
        ))}
      </ul>
      {controls}
    </section>
  );
}

function PublishSection({ draft, onPublished }: { readonly draft: GptDraft; readonly onPublished: () => void }) {
  const { t, client } = useApp();
  const [published, setPublished] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const publish = async () => {
    setBusy(true);
    setError(null);
    try {
      const version = await client.post<{ readonly version: number }>(`/store/v1/gpts/${encodeURIComponent(draft.id)}/publish`, undefined);
      setPublished(version.version);
      onPublished();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="panel" aria-labelledby="builder-publish-title">
      <h2 id="builder-publish-title">{t('gpts.builder.publishTitle')}</h2>
      <p>{draft.latest_version === null ? t('gpts.builder.neverPublished') : t('gpts.builder.latestVersion', { version: draft.latest_version })}</p>
      <ErrorNotice error={error} />
      {published === null ? null : (
        <p className="notice notice-success" role="status">
          {t('gpts.builder.published', { version: published })} <Link href={hrefFor('gpt', { slug: draft.slug })}>{t('gpts.builder.openPage')}</Link>
        </p>
      )}
      <div className="actions">
        <button type="button" disabled={busy} onClick={() => void publish()}>
          {busy ? t('gpts.builder.publishing') : t('gpts.builder.publish')}
        </button>
        {draft.latest_version === null ? null : (
          <Link className="button-link" href={hrefFor('gpt', { slug: draft.slug })}>
            {t('gpts.builder.openPage')}
          </Link>
        )}
      </div>
    </section>
  );
}

function BuilderEditor({ id }: { readonly id: string }) {
  const { t, client } = useApp();
  const detail = useApiData((signal) => client.get<GptDraft>(`/store/v1/builders/me/gpts/${encodeURIComponent(id)}`, {}, signal), [id]);
  const draft = detail.data;
  if (draft === undefined) {
    return (
      <section aria-labelledby="builder-title">
        <h1 id="builder-title">{t('gpts.builder.title')}</h1>
        <ErrorNotice error={detail.error} />
        {detail.loading ? <Loading /> : null}
      </section>
    );
  }
  return (
    <section aria-labelledby="builder-title" className="gpt-builder">
      <p>
        <Link href={hrefFor('gpt-builder')}>{t('gpts.builder.back')}</Link>
      </p>
      <h1 id="builder-title">{t('gpts.builder.editing', { name: draft.name })}</h1>
      <BuilderDefinitionForm draft={draft} onSaved={detail.reload} />
      <KnowledgeSection gptId={draft.id} />
      <ActionsSection gptId={draft.id} />
      <section className="panel" aria-labelledby="builder-preview-title">
        <h2 id="builder-preview-title">{t('gpts.builder.preview')}</h2>
        <p className="hint">{t('gpts.builder.previewHint')}</p>
        <GptChatPanel model={gptModelName(draft.slug, 'draft')} starters={draft.conversation_starters} price={null} idPrefix="builder-preview" />
      </section>
      <PublishSection draft={draft} onPublished={detail.reload} />
    </section>
  );
}

export default function GptBuilderPage({ id }: { readonly id: string | undefined }) {
  const { identity } = useApp();
  if (identity === null) return <SignInFirst />;
  return id === undefined ? <BuilderList /> : <BuilderEditor id={id} />;
}
