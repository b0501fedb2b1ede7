// What every admin section shares: the "needs an admin key" notice on 403 (other errors as the
// API worded them), cursor paging over the API's `next_cursor`, and a busy flag for actions.
import { useState } from 'react';
import { ApiError } from '../api/api-client';
import { useApp } from '../app/app-context';
import { ErrorNotice } from '../components/error-notice';

export function isForbidden(error: unknown): boolean {
  return error instanceof ApiError && error.status === 403;
}

/** A 403 says plainly that the page needs an installation admin key; anything else goes to ErrorNotice. */
export function AdminErrorNotice({ error }: { readonly error: unknown }) {
  const { t } = useApp();
  if (isForbidden(error)) {
    return (
      <div className="notice notice-error" role="alert">
        <p>
          <strong>{t('admin.needsAdminKey')}</strong>
        </p>
        <p>{t('admin.needsAdminKeyHelp')}</p>
      </div>
    );
  }
  return <ErrorNotice error={error} />;
}

export interface CursorPaging {
  /** The cursor of the page shown; null for the first. */
  readonly cursor: string | null;
  /** 1-based. */
  readonly page: number;
  next(nextCursor: string): void;
  previous(): void;
  reset(): void;
}

/** Cursor pages remembered as a stack, so Previous returns to the page seen before. */
export function useCursorPaging(): CursorPaging {
  const [cursors, setCursors] = useState<readonly (string | null)[]>([null]);
  return {
    cursor: cursors[cursors.length - 1] ?? null,
    page: cursors.length,
    next: (nextCursor) => setCursors([...cursors, nextCursor]),
    previous: () => setCursors(cursors.length > 1 ? cursors.slice(0, -1) : cursors),
    reset: () => setCursors([null]),
  };
}

/** Runs an action once at a time, keeping its error for display. */
export function useAction(): { readonly busy: boolean; readonly error: unknown; run(action: () => Promise<void>): Promise<void>; clear(): void } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  return {
    busy,
    error,
    async run(action) {
      setBusy(true);
      setError(null);
      try {
        await action();
      } catch (failure) {
        setError(failure);
      } finally {
        setBusy(false);
      }
    },
    clear: () => setError(null),
  };
}
