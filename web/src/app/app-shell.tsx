// The frame around every page: skip link, header with navigation, language switch and
// sign-in, then the current page, loaded on demand so the first load stays small.
import { lazy, Suspense, useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { Link } from '../components/link';
import { Loading } from '../components/error-notice';
import { chooseLocale, formatDate, formatDateTime, formatMoney, formatNumber, formatScore, formatTokens, locales, type Locale } from '../i18n/locale-format';
import { translate, type MessageKey } from '../i18n/messages';
import { AppContext, type AppLocation, type AppServices } from './app-context';
import { matchRoute, type PageName } from './router';
import { navigationVisible } from './session-logic';
import { readStoredLocale, storeLocale } from './session-key';
import { SignInControl } from './sign-in-control';
import { useWebSession } from './web-session';

const ModelStorePage = lazy(() => import('../pages/model-store-page'));
const ModelPage = lazy(() => import('../pages/model-page'));
const ComparePage = lazy(() => import('../pages/compare-page'));
const LeaderboardPage = lazy(() => import('../pages/leaderboard-page'));
const PlaygroundPage = lazy(() => import('../pages/playground-page'));
const ConsolePage = lazy(() => import('../pages/console-page'));
const GptStorePage = lazy(() => import('../pages/gpt-store-page'));
const GptPage = lazy(() => import('../pages/gpt-page'));
const GptBuilderPage = lazy(() => import('../pages/gpt-builder-page'));
const EvaluationsPage = lazy(() => import('../pages/evaluations-page'));
const EvaluationPage = lazy(() => import('../pages/evaluation-page'));
const AdminPage = lazy(() => import('../pages/admin-page'));

const navigation: readonly { readonly page: PageName; readonly href: string; readonly label: MessageKey }[] = [
  { page: 'store', href: '/', label: 'nav.models' },
  { page: 'gpt-store', href: '/gpts', label: 'nav.gpts' },
  { page: 'compare', href: '/compare', label: 'nav.compare' },
  { page: 'leaderboard', href: '/leaderboard', label: 'nav.leaderboard' },
  { page: 'playground', href: '/playground', label: 'nav.playground' },
  { page: 'console', href: '/console', label: 'nav.console' },
  { page: 'evaluations', href: '/evaluations', label: 'nav.evaluations' },
  { page: 'admin', href: '/manage', label: 'nav.admin' },
];

/** Pages whose navigation entry marks the current page while a page beneath them is open. */
const sectionOf: Readonly<Partial<Record<PageName, PageName>>> = { model: 'store', gpt: 'gpt-store', 'gpt-builder': 'gpt-store', evaluation: 'evaluations' };

const titles: Readonly<Record<PageName, MessageKey>> = {
  store: 'nav.models',
  model: 'model.title',
  compare: 'nav.compare',
  leaderboard: 'nav.leaderboard',
  playground: 'nav.playground',
  console: 'nav.console',
  'gpt-store': 'nav.gpts',
  gpt: 'nav.gpts',
  'gpt-builder': 'nav.builder',
  evaluations: 'nav.evaluations',
  evaluation: 'nav.evaluations',
  admin: 'nav.admin',
  'not-found': 'notFound.title',
};

function currentLocation(): AppLocation {
  return { pathname: window.location.pathname, search: window.location.search };
}

function renderPage(page: PageName, params: Readonly<Record<string, string>>, notFound: ReactNode): ReactNode {
  switch (page) {
    case 'store':
      return <ModelStorePage />;
    case 'model':
      return <ModelPage id={params.id ?? ''} />;
    case 'compare':
      return <ComparePage />;
    case 'leaderboard':
      return <LeaderboardPage />;
    case 'playground':
      return <PlaygroundPage />;
    case 'console':
      return <ConsolePage />;
    case 'gpt-store':
      return <GptStorePage />;
    case 'gpt':
      return <GptPage slug={params.slug ?? ''} />;
    case 'gpt-builder':
      return <GptBuilderPage id={params.id} />;
    case 'evaluations':
      return <EvaluationsPage />;
    case 'evaluation':
      return <EvaluationPage id={params.id ?? ''} />;
    case 'admin':
      return <AdminPage section={params.section} />;
    case 'not-found':
      return notFound;
  }
}

export function AppShell() {
  const [locale, setLocaleState] = useState<Locale>(() => chooseLocale(readStoredLocale(window.localStorage), navigator.languages));
  const session = useWebSession();
  const { client, identity, signIn, signOut } = session;
  const [location, setLocation] = useState<AppLocation>(currentLocation);

  useEffect(() => {
    const onPopState = () => setLocation(currentLocation());
    window.addEventListener('popstate', onPopState);
    return () => window.removeEventListener('popstate', onPopState);
  }, []);

  const navigate = useCallback((href: string, options: { readonly replace?: boolean } = {}) => {
    const samePage = new URL(href, window.location.href).pathname === window.location.pathname;
    if (options.replace === true) window.history.replaceState(null, '', href);
    else window.history.pushState(null, '', href);
    setLocation(currentLocation());
    // A new page starts at its top, and a screen reader is taken to it; a new query on the same page stays put.
    if (!samePage) {
      window.scrollTo(0, 0);
      document.getElementById('main')?.focus({ preventScroll: true });
    }
  }, []);

  const setLocale = useCallback((next: Locale) => {
    storeLocale(window.localStorage, next);
    setLocaleState(next);
  }, []);

  const services = useMemo<AppServices>(() => {
    return {
      locale,
      setLocale,
      t: (key, parameters) => translate(locale, key, parameters),
      format: {
        number: (value, digits) => formatNumber(locale, value, digits),
        tokens: (value) => formatTokens(locale, value),
        money: (microUnits, currency) => formatMoney(locale, microUnits, currency),
        date: (isoText) => formatDate(locale, isoText),
        dateTime: (isoText) => formatDateTime(locale, isoText),
        score: (value) => formatScore(locale, value),
      },
      client,
      identity,
      signIn,
      signOut,
      location,
      navigate,
    };
  }, [locale, setLocale, client, identity, signIn, signOut, location, navigate]);

  const match = matchRoute(location.pathname);
  const title = translate(locale, titles[match.name]);
  useEffect(() => {
    document.documentElement.lang = locale;
    document.title = `${title} · Modelmart`;
  }, [locale, title]);

  const notFound = (
    <section>
      <h1>{translate(locale, 'notFound.title')}</h1>
      <p>
        <Link href="/">{translate(locale, 'notFound.back')}</Link>
      </p>
    </section>
  );

  return (
    <AppContext.Provider value={services}>
      <a className="skip-link" href="#main">
        {services.t('nav.skip')}
      </a>
      <header className="site-header">
        <Link className="brand" href="/">
          Modelmart
        </Link>
        <nav aria-label={services.t('nav.label')}>
          <ul className="nav-list">
            {navigation.filter((item) => navigationVisible(item.page, identity)).map((item) => (
              <li key={item.href}>
                <Link href={item.href} aria-current={match.name === item.page || sectionOf[match.name] === item.page ? 'page' : undefined}>
                  {services.t(item.label)}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="header-tools">
          <label className="language-switch">
            <span className="visually-hidden">{services.t('language.label')}</span>
            <select value={locale} onChange={(event) => setLocale(event.target.value === 'zh-CN' ? 'zh-CN' : 'en')} aria-label={services.t('language.label')}>
              {locales.map((option) => (
                <option key={option} value={option} lang={option}>
                  {option === 'en' ? 'English' : '简体中文'}
                </option>
              ))}
            </select>
          </label>
          <SignInControl restoring={session.restoring} sessionEnded={session.ended} onDismissEnded={session.dismissEnded} />
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<Loading />}>{renderPage(match.name, match.params, notFound)}</Suspense>
      </main>
      <footer className="site-footer muted">{services.t('footer.api')} <a href="/openapi.json">/openapi.json</a></footer>
    </AppContext.Provider>
  );
}
