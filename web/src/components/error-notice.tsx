// Shows an API error as the API worded it, plus what the reader can do about it.
import { ApiError, adviceFor } from '../api/api-client';
import { useApp } from '../app/app-context';

export function ErrorNotice({ error }: { readonly error: unknown }) {
  const { t } = useApp();
  if (error === null || error === undefined) return null;
  const apiError = error instanceof ApiError ? error : new ApiError(0, error instanceof Error ? error.message : String(error), null, null, null);
  return (
    <div className="notice notice-error" role="alert">
      <p>
        <strong>{t('error.title')}</strong> {apiError.message}
        {apiError.code === null ? null : <span className="muted"> ({apiError.code}{apiError.param === null ? '' : `, ${apiError.param}`})</span>}
      </p>
      <p>{t(adviceFor(apiError))}</p>
      {apiError.requestId === null ? null : <p className="muted">{t('error.requestId', { id: apiError.requestId })}</p>}
    </div>
  );
}

export function Loading() {
  const { t } = useApp();
  return (
    <p className="muted" role="status" aria-live="polite">
      {t('common.loading')}
    </p>
  );
}
