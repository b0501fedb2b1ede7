// Placeholder until this page is built: its heading only.
import { useApp } from '../app/app-context';

export default function EvaluationsPage() {
  const { t } = useApp();
  return (
    <section>
      <h1>{t('nav.evaluations')}</h1>
    </section>
  );
}
