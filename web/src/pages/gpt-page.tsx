// A GPT's page: what it is and who made it, its base model, capabilities, a chat with it
// (streamed, with citations and cost), and its ratings and reviews (gpt-page-reviews.tsx).
import { useState } from 'react';
import type { ListPage, ModelCard } from '../api/api-types';
import type { GptCapabilities, GptVersion, StoreGptDetail } from '../api/gpt-types';
import { hrefFor } from '../app/router';
import { useApp } from '../app/app-context';
import { ErrorNotice, Loading } from '../components/error-notice';
import { Link } from '../components/link';
import { useApiData } from '../components/use-api-data';
import { GptChatPanel } from './gpt-chat-panel';
import { cardForBaseModel, gptModelName, playgroundHrefFor } from './gpt-page-logic';
import { RatingSummaryView, ReportForm, ReviewForm, Reviews } from './gpt-page-reviews';
import { GptAvatar, categoryLabel } from './gpt-shared';
import { storeSearchText } from './playground-logic';
import './gpt-pages.css';

function CapabilityList({ capabilities }: { readonly capabilities: GptCapabilities | undefined }) {
  const { t } = useApp();
  if (capabilities === undefined) return <>{t('gpts.page.capabilitiesUnknown')}</>;
  const on = (value: boolean) => (value ? `✓ ${t('gpts.on')}` : `✗ ${t('gpts.off')}`);
  return (
    <>
      {t('gpts.capability.knowledge')}: {on(capabilities.knowledge)} · {t('gpts.capability.actions')}: {on(capabilities.actions)}
    </>
  );
}

export default function GptPage({ slug }: { readonly slug: string }) {
  const { t, client, identity } = useApp();
  const [reviewsVersion, setReviewsVersion] = useState(0);
  const path = `/store/v1/gpts/${encodeURIComponent(slug)}`;
  const detail = useApiData((signal) => client.get<StoreGptDetail>(path, {}, signal), [slug, identity, reviewsVersion]);
  const gpt = detail.data;
  const latest = gpt?.latest_version ?? null;
  // Capabilities belong to the published version, which the store listing does not carry.
  const version = useApiData(async (signal) => (identity === null || latest === null ? null : client.get<GptVersion>(`${path}/versions/${latest}`, {}, signal).catch(() => null)), [slug, identity, latest]);
  const baseModel = gpt?.base_model ?? '';
  const card = useApiData(async (signal) => {
    if (baseModel === '') return null;
    const page = await client.get<ListPage<ModelCard>>('/store/v1/models', { q: storeSearchText(baseModel), limit: 100 }, signal).catch(() => null);
    const cards = page?.data ?? [];
    const id = cardForBaseModel(cards, baseModel);
    return cards.find((candidate) => candidate.id === id) ?? null;
  }, [baseModel]);

  if (gpt === undefined) {
    return (
      <section aria-labelledby="gpt-title">
        <h1 id="gpt-title">{t('gpts.page.title')}</h1>
        <ErrorNotice error={detail.error} />
        {detail.loading ? <Loading /> : null}
      </section>
    );
  }
  const capabilities = gpt.capabilities ?? version.data?.capabilities ?? gpt.draft?.capabilities;
  return (
    <section aria-labelledby="gpt-title" className="gpt-page">
      <div className="gpt-title-row">
        <GptAvatar name={gpt.name} url={gpt.avatar_url} />
        <h1 id="gpt-title">{gpt.name}</h1>
        {gpt.featured ? <span className="badge badge-good">★ {t('gpts.featured')}</span> : null}
        {gpt.hidden ? <span className="badge badge-bad">✗ {t('gpts.page.hidden')}</span> : null}
      </div>
      <p>{gpt.description}</p>
      <dl className="gpt-facts">
        <dt>{t('gpts.creator')}</dt>
        <dd>
          {gpt.builder.name}
          {gpt.builder.verified ? <span className="badge badge-good"> ✓ {t('gpts.verifiedBuilder')}</span> : null}
        </dd>
        <dt>{t('gpts.baseModel')}</dt>
        <dd>{card.data === null || card.data === undefined ? gpt.base_model : <Link href={hrefFor('model', { id: card.data.id })}>{gpt.base_model}</Link>}</dd>
        <dt>{t('gpts.categoryLabel')}</dt>
        <dd>{categoryLabel(t, gpt.category)}</dd>
        <dt>{t('gpts.page.capabilities')}</dt>
        <dd>
          <CapabilityList capabilities={capabilities} />
        </dd>
        <dt>{t('gpts.page.version')}</dt>
        <dd>{latest === null ? t('gpts.page.unpublished') : t('gpts.page.versionNumber', { version: latest })}</dd>
      </dl>
      <div className="actions">
        <Link className="button-link" href={playgroundHrefFor(gpt.slug)}>
          {t('gpts.page.openInPlayground')}
        </Link>
        {gpt.editable ? (
          <Link className="button-link" href={hrefFor('gpt-builder', { id: gpt.slug })}>
            {t('gpts.page.edit')}
          </Link>
        ) : null}
      </div>
      <section aria-labelledby="gpt-chat-title">
        <h2 id="gpt-chat-title">{t('gpts.page.chat')}</h2>
        {identity === null ? (
          <>
            {gpt.conversation_starters.length === 0 ? null : (
              <ul>
                {gpt.conversation_starters.map((starter) => (
                  <li key={starter}>{starter}</li>
                ))}
              </ul>
            )}
            <p className="notice" role="note">
              {t('gpts.page.signInToChat')}
            </p>
          </>
        ) : latest === null ? (
          <p className="notice" role="note">
            {t('gpts.page.publishToChat')}
          </p>
        ) : (
          <GptChatPanel model={gptModelName(gpt.slug)} starters={gpt.conversation_starters} price={card.data?.price ?? null} idPrefix="gpt-chat" />
        )}
      </section>
      <section aria-labelledby="gpt-ratings-title">
        <h2 id="gpt-ratings-title">{t('gpts.page.ratings')}</h2>
        <RatingSummaryView summary={gpt.rating_summary} />
      </section>
      <Reviews slug={gpt.slug} reloadKey={reviewsVersion} />
      {identity === null ? null : (
        <>
          <ReviewForm slug={gpt.slug} onSaved={() => setReviewsVersion((value) => value + 1)} />
          <ReportForm slug={gpt.slug} />
        </>
      )}
    </section>
  );
}
