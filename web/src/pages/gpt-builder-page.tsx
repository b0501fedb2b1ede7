// Placeholder until this page is built: its heading only.
import { useApp } from '../app/app-context';

export default function GptBuilderPage(_props: { readonly id: string | undefined }) {
  const { t } = useApp();
  return (
    <section>
      <h1>{t('nav.builder')}</h1>
    </section>
  );
}
