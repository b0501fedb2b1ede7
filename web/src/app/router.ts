// A small history router: the route table, matching a path to a page with its parameters, and
// building addresses. The server answers every non-API path with the app, so addresses are
// plain paths (/models/grok-1) that can be bookmarked and shared.
export type PageName =
  | 'store'
  | 'model'
  | 'compare'
  | 'leaderboard'
  | 'gpt-store'
  | 'gpt'
  | 'gpt-builder'
  | 'playground'
  | 'console'
  | 'evaluations'
  | 'evaluation'
  | 'admin'
  | 'not-found';

interface RouteDefinition {
  readonly name: Exclude<PageName, 'not-found'>;
  readonly pattern: string;
}

export const routes: readonly RouteDefinition[] = [
  { name: 'store', pattern: '/' },
  { name: 'store', pattern: '/models' },
  { name: 'model', pattern: '/models/:id' },
  { name: 'compare', pattern: '/compare' },
  { name: 'leaderboard', pattern: '/leaderboard' },
  { name: 'gpt-store', pattern: '/gpts' },
  { name: 'gpt', pattern: '/gpts/:slug' },
  { name: 'gpt-builder', pattern: '/builder' },
  { name: 'gpt-builder', pattern: '/builder/:id' },
  { name: 'playground', pattern: '/playground' },
  { name: 'console', pattern: '/console' },
  { name: 'evaluations', pattern: '/evaluations' },
  { name: 'evaluation', pattern: '/evaluations/:id' },
  // Not /admin: that prefix is the admin API's, which the server never answers with the app.
  { name: 'admin', pattern: '/manage' },
  { name: 'admin', pattern: '/manage/:section' },
];

export interface RouteMatch {
  readonly name: PageName;
  readonly params: Readonly<Record<string, string>>;
}

function matchPattern(pattern: string, path: string): Record<string, string> | undefined {
  const patternParts = pattern.split('/').filter((part) => part !== '');
  const pathParts = path.split('/').filter((part) => part !== '');
  if (patternParts.length !== pathParts.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, patternPart] of patternParts.entries()) {
    const pathPart = pathParts[index] ?? '';
    if (patternPart.startsWith(':')) {
      try {
        params[patternPart.slice(1)] = decodeURIComponent(pathPart);
      } catch {
        return undefined;
      }
    } else if (patternPart !== pathPart) {
      return undefined;
    }
  }
  return params;
}

export function matchRoute(pathname: string): RouteMatch {
  for (const route of routes) {
    const params = matchPattern(route.pattern, pathname);
    if (params !== undefined) return { name: route.name, params };
  }
  return { name: 'not-found', params: {} };
}

/** The address of a page: `hrefFor('model', { id: 'grok-1' })` is `/models/grok-1`. */
export function hrefFor(name: Exclude<PageName, 'not-found'>, params: Readonly<Record<string, string>> = {}, query: Readonly<Record<string, string | undefined>> = {}): string {
  const route = routes.find((candidate) => candidate.name === name && candidate.pattern.split(':').length - 1 === Object.keys(params).length);
  if (route === undefined) throw new Error(`no route ${name} with parameters ${Object.keys(params).join(', ')}`);
  const path = route.pattern.replace(/:(\w+)/g, (_whole, parameter: string) => encodeURIComponent(params[parameter] ?? ''));
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') search.set(key, value);
  const text = search.toString();
  return text === '' ? path : `${path}?${text}`;
}

/** Whether a click on a link should be left to the browser (new tab, download, other site). */
export function isPlainLeftClick(event: { readonly button: number; readonly metaKey: boolean; readonly ctrlKey: boolean; readonly shiftKey: boolean; readonly altKey: boolean }): boolean {
  return event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
}
