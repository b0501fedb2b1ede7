// The admin area at /manage: a sub-navigation of sections, each in its own file. Only
// installation admin keys may use it; each section says so when the API answers 403 (the
// identity's role may still be unknown while the server has not said).
import { useApp } from '../app/app-context';
import { Link } from '../components/link';
import AdminAuditSection from './admin-audit-section';
import AdminModelsSection from './admin-models-section';
import AdminModerationSection from './admin-moderation-section';
import AdminProvidersSection from './admin-providers-section';
import AdminRoutesSection from './admin-routes-section';
import './admin-pages.css';

const adminSections = ['providers', 'routes', 'models', 'moderation', 'audit'] as const;
type AdminSection = (typeof adminSections)[number];

function sectionOf(name: string | undefined): AdminSection | null {
  if (name === undefined || name === '') return 'providers';
  return (adminSections as readonly string[]).includes(name) ? (name as AdminSection) : null;
}

// Keyed by the signed-in key so that signing in or out loads the section again with the new key.
function SectionContent({ section }: { readonly section: AdminSection }) {
  switch (section) {
    case 'providers':
      return <AdminProvidersSection />;
    case 'routes':
      return <AdminRoutesSection />;
    case 'models':
      return <AdminModelsSection />;
    case 'moderation':
      return <AdminModerationSection />;
    case 'audit':
      return <AdminAuditSection />;
  }
}

export default function AdminPage({ section }: { readonly section: string | undefined }) {
  const { t, identity } = useApp();
  const current = sectionOf(section);
  return (
    <section className="admin-page" aria-labelledby="admin-title">
      <h1 id="admin-title">{t('nav.admin')}</h1>
      {identity === null ? (
        <div className="notice" role="status">
          <p>{t('admin.signInFirst')}</p>
        </div>
      ) : null}
      <nav aria-label={t('admin.sections')}>
        <ul className="admin-nav">
          {adminSections.map((name) => (
            <li key={name}>
              <Link href={`/manage/${name}`} aria-current={name === current ? 'page' : undefined}>
                {t(`admin.section.${name}`)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {current === null ? <p role="alert">{t('admin.unknownSection', { name: section ?? '' })}</p> : <SectionContent key={`${current}-${identity?.keyLabel ?? ''}`} section={current} />}
    </section>
  );
}
