// A GPT's page: what it is and who made it, its base model, capabilities, ratings and reviews,
// writing a review and reporting it, and a chat with it (streamed, with citations and cost).
import { useState, type FormEvent } from 'react';
import type { ListPage, ModelCard } from '../api/api-types';
import { reportReasons, type GptCapabilities, type GptVersion, type RatingSummary, type StoreGptDetail, type StorePage, type StoreReview } from '../api/gpt-types';
import { hrefFor } from '../app/router';
import { useApp } from '../app/app-context';
import { ErrorNotice, Loading } from '../components/error-notice';
import { Link } from '../components/link';
import { PageControls } from '../components/pagination';
import { useApiData } from '../components/use-api-data';
import { GptChatPanel } from './gpt-chat-panel';
import { cardForBaseModel, gptModelName, histogramRows, isNotUsedError, playgroundHrefFor, reviewBody, starsText } from './gpt-page-logic';
import { GptAvatar, categoryLabel } from './gpt-shared';
import { storeSearchText } from './playground-logic';
import './gpt-pages.css';

function RatingSummaryView({ summary }: { readonly summary: RatingSummary }) {
  const { t, format } = useApp();
  if (summary.count === 0 || summary.average === null) return <p>{t('gpts.noRatings')}</p>;
  return (
    <>
      <p>
        <span aria-hidden="true">{starsText(summary.average)} </span>
        {t('gpts.ratingValue', { average: format.number(summary.average, 1), count: format.number(summary.count) })}
      </p>
      <table className="gpt-histogram">
        <caption className="visually-hidden">{t('gpts.page.histogram')}</caption>
        <tbody>
          {histogramRows(summary).map((row) => (
            <tr key={row.stars}>
              <th scope="row">{t('gpts.stars', { stars: row.stars })}</th>
              <td>
                <span className="gpt-bar" style={{ width: `${row.percent}%` }} aria-hidden="true" />
              </td>
              <td>{t('gpts.page.histogramCount', { count: format.number(row.count), percent: format.number(row.percent) })}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function Reviews({ slug, reloadKey }: { readonly slug: string; readonly reloadKey: number }) {
  const { t, client, format, identity } = useApp();
  const [cursors, setCursors] = useState<readonly string[]>([]);
  const reviews = useApiData((signal) => client.get<StorePage<StoreReview>>(`/store/v1/gpts/${encodeURIComponent(slug)}/reviews`, { limit: 10, cursor: cursors.at(-1) }, signal), [slug, cursors, reloadKey, identity]);
  return (
    <section aria-labelledby="gpt-reviews-title">
      <h2 id="gpt-reviews-title">{t('gpts.page.reviews')}</h2>
      <ErrorNotice error={reviews.error} />
      {reviews.loading ? <Loading /> : null}
      {reviews.data === undefined ? null : reviews.data.data.length === 0 ? (
        <p>{t('gpts.page.noReviews')}</p>
      ) : (
        <ul className="gpt-reviews">
          {reviews.data.data.map((review, index) => (
            <li key={`${review.created_at}-${index}`} className="panel">
              <p>
                <span aria-hidden="true">{starsText(review.stars)} </span>
                {t('gpts.stars', { stars: review.stars })} · <span className="muted">{review.author_name ?? t('gpts.page.anonymous')} · {format.date(review.created_at)}</span>
              </p>
              {review.review === null ? null : <p>{review.review}</p>}
            </li>
          ))}
        </ul>
      )}
      {reviews.data === undefined ? null : (
        <PageControls
          page={cursors.length + 1}
          hasPrevious={cursors.length > 0}
          hasNext={reviews.data.has_more && reviews.data.next_cursor !== null}
          onPrevious={() => setCursors(cursors.slice(0, -1))}
          onNext={() => {
            const next = reviews.data?.next_cursor;
            if (typeof next === 'string') setCursors([...cursors, next]);
          }}
        />
      )}
    </section>
  );
}

function ReviewForm({ slug, onSaved }: { readonly slug: string; readonly onSaved: () => void }) {
  const { t, client } = useApp();
  const [stars, setStars] = useState(0);
  const [text, setText] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [problem, setProblem] = useState<'gpts.review.pickStars' | 'gpts.review.tooLong' | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const checked = reviewBody(stars, text);
    setSaved(false);
    setError(null);
    if ('problem' in checked) {
      setProblem(checked.problem);
      return;
    }
    setProblem(null);
    setBusy(true);
    try {
      await client.post(`/store/v1/gpts/${encodeURIComponent(slug)}/reviews`, checked.body);
      setSaved(true);
      onSaved();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="panel" onSubmit={(event) => void submit(event)} aria-labelledby="gpt-review-title">
      <h3 id="gpt-review-title">{t('gpts.review.title')}</h3>
      <div className="field">
        <label htmlFor="gpt-review-stars">{t('gpts.review.stars')}</label>
        <select id="gpt-review-stars" value={stars} onChange={(event) => setStars(Number(event.target.value))}>
          <option value={0}>{t('gpts.review.choose')}</option>
          {[5, 4, 3, 2, 1].map((value) => (
            <option key={value} value={value}>
              {t('gpts.stars', { stars: value })}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="gpt-review-text">{t('gpts.review.text')}</label>
        <textarea id="gpt-review-text" rows={3} maxLength={2000} value={text} onChange={(event) => setText(event.target.value)} />
      </div>
      {problem === null ? null : (
        <p className="notice notice-error" role="alert">
          {t(problem)}
        </p>
      )}
      {isNotUsedError(error) ? (
        <p className="notice" role="note">
          {t('gpts.review.notUsed')}
        </p>
      ) : null}
      <ErrorNotice error={error} />
      {saved ? (
        <p className="notice notice-success" role="status">
          {t('gpts.review.saved')}
        </p>
      ) : null}
      <div className="actions">
        <button type="submit" disabled={busy}>
          {t('gpts.review.submit')}
        </button>
      </div>
    </form>
  );
}

function ReportForm({ slug }: { readonly slug: string }) {
  const { t, client } = useApp();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState<string>(reportReasons[0]);
  const [details, setDetails] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [sent, setSent] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      await client.post(`/store/v1/gpts/${encodeURIComponent(slug)}/reports`, details.trim() === '' ? { reason } : { reason, details: details.trim() });
      setSent(true);
      setOpen(false);
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <div>
      <button type="button" className="secondary" aria-expanded={open} aria-controls="gpt-report-form" onClick={() => setOpen(!open)}>
        {t('gpts.report.open')}
      </button>
      {sent ? (
        <p className="notice notice-success" role="status">
          {t('gpts.report.sent')}
        </p>
      ) : null}
      {open ? (
        <form id="gpt-report-form" className="panel" onSubmit={(event) => void submit(event)} aria-label={t('gpts.report.open')}>
          <div className="field">
            <label htmlFor="gpt-report-reason">{t('gpts.report.reason')}</label>
            <select id="gpt-report-reason" value={reason} onChange={(event) => setReason(event.target.value)}>
              {reportReasons.map((value) => (
                <option key={value} value={value}>
                  {t(`gpts.report.reason.${value}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="gpt-report-details">{t('gpts.report.details')}</label>
            <textarea id="gpt-report-details" rows={3} maxLength={2000} value={details} onChange={(event) => setDetails(event.target.value)} />
          </div>
          <ErrorNotice error={error} />
          <div className="actions">
            <button type="submit">{t('gpts.report.submit')}</button>
          </div>
        </form>
      ) : null}
    </div>
  );
}

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
  const capabilities = version.data?.capabilities ?? gpt.draft?.capabilities;
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
