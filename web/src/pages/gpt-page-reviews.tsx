// The GPT page's ratings and reviews: the summary with a per-star table, reviews in pages,
// rating it (a reader who has not used it sees the API's 403 gpt_not_used and what to do) and
// reporting it to the moderators.
import { useState, type FormEvent } from 'react';
import { reportReasons, type RatingSummary, type StorePage, type StoreReview } from '../api/gpt-types';
import { useApp } from '../app/app-context';
import { ErrorNotice, Loading } from '../components/error-notice';
import { PageControls } from '../components/pagination';
import { useApiData } from '../components/use-api-data';
import { histogramRows, isNotUsedError, reviewBody, starsText } from './gpt-page-logic';

export function RatingSummaryView({ summary }: { readonly summary: RatingSummary }) {
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

export function Reviews({ slug, reloadKey }: { readonly slug: string; readonly reloadKey: number }) {
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

export function ReviewForm({ slug, onSaved }: { readonly slug: string; readonly onSaved: () => void }) {
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

export function ReportForm({ slug }: { readonly slug: string }) {
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
