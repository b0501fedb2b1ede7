// Placeholder until this page is built: its heading only.
import { useApp } from '../app/app-context';

export default function GptPage(_props: { readonly slug: string }) {
  const { t } = useApp();
  return (
    <section>
      <h1>{t('nav.gpts')}</h1>
    </section>
  );
}
