// Previous / next page controls, shared by cursor-paged lists (the store, the leaderboard) and
// lists the API returns whole (keys), which are paged here.
import { useState, type ReactNode } from 'react';
import { useApp } from '../app/app-context';

export function PageControls({ page, hasPrevious, hasNext, onPrevious, onNext }: { readonly page: number; readonly hasPrevious: boolean; readonly hasNext: boolean; readonly onPrevious: () => void; readonly onNext: () => void }) {
  const { t } = useApp();
  return (
    <nav className="pagination" aria-label={t('pagination.label')}>
      <button type="button" className="secondary" disabled={!hasPrevious} onClick={onPrevious}>
        {t('pagination.previous')}
      </button>
      <span>{t('pagination.page', { page })}</span>
      <button type="button" className="secondary" disabled={!hasNext} onClick={onNext}>
        {t('pagination.next')}
      </button>
    </nav>
  );
}

/** One page of a list held whole, and the controls to move between pages. */
export function useLocalPages<T>(items: readonly T[], pageSize: number): { readonly pageItems: readonly T[]; readonly controls: ReactNode } {
  const [index, setIndex] = useState(0);
  const lastIndex = Math.max(0, Math.ceil(items.length / pageSize) - 1);
  const current = Math.min(index, lastIndex);
  const pageItems = items.slice(current * pageSize, (current + 1) * pageSize);
  const controls = items.length <= pageSize ? null : <PageControls page={current + 1} hasPrevious={current > 0} hasNext={current < lastIndex} onPrevious={() => setIndex(current - 1)} onNext={() => setIndex(current + 1)} />;
  return { pageItems, controls };
}
