// Placeholder until this page is built: its heading only.
import { useApp } from '../app/app-context';

export default function AdminPage(_props: { readonly section: string | undefined }) {
  const { t } = useApp();
  return (
    <section>
      <h1>{t('nav.admin')}</h1>
    </section>
  );
}
