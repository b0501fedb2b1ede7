// /store/v1/gpts: the GPT store's listing (search, category, sort, cursor pages), categories with
// counts, one GPT's page, and its creator statistics. Registered in the public scope (a key is
// then optional: an Authorization header, when sent, is authenticated and widens what is listed)
// or in the authenticated scope when the store is private.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiKeyService, Principal } from '../../accounts/index.js';
import type { WebSessionService } from '../../accounts/web-session-service.js';
import { invalidApiKey } from '../../core/index.js';
import type { GptStore } from '../../gpts/index.js';
import { bearerToken } from '../middleware/authentication.js';
import { authenticateSessionRequest } from '../middleware/session-authentication.js';

type SlugParams = { Params: { slug: string } };

/** What the GPT definitions add to a GPT's page for its editors (the draft, the versions). */
export interface EditorPageFields {
  readonly draft?: unknown;
  readonly versions?: unknown;
}

export interface StoreGptListingRouteOptions {
  /**
   * Adds the definitions' editor fields to GET /store/v1/gpts/{slug} when the caller edits the GPT
   * (for example `(slug, principal) => gpts.definitions.getPage(slug, principal)`), so this one
   * route serves both the store page and the editor's page.
   */
  readonly editorPage?: (slug: string, principal: Principal) => Promise<EditorPageFields>;
  /** The web app's cookie sessions, accepted where no key is sent. */
  readonly sessions?: WebSessionService | undefined;
}

/**
 * An onRequest hook: authenticates a key when one is sent, or the web app's session cookie (CSRF
 * checked) when there is one, unless the scope has already done so.
 */
export function createOptionalStoreAuthentication(apiKeys: ApiKeyService, sessions?: WebSessionService) {
  return async function authenticateOptionally(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (request.principal !== undefined) return;
    if (request.headers.authorization === undefined) {
      const session = sessions === undefined ? undefined : await authenticateSessionRequest(request, reply, sessions);
      if (session !== undefined) request.principal = session.principal;
      return;
    }
    request.principal = await apiKeys.authenticate(bearerToken(request), { clientIp: request.ip });
  };
}

/** The caller's principal; 401 when a route that needs one is called without a key. */
export function requireStorePrincipal(request: FastifyRequest, what: string): Principal {
  if (request.principal === undefined) throw invalidApiKey(`An API key is needed to ${what}. Send it as "Authorization: Bearer <key>".`);
  return request.principal;
}

export function registerStoreGptListingRoutes(app: FastifyInstance, store: GptStore, apiKeys: ApiKeyService, options: StoreGptListingRouteOptions = {}): void {
  const onRequest = createOptionalStoreAuthentication(apiKeys, options.sessions);

  app.get('/store/v1/gpts', { onRequest }, async (request) => store.listing.list(request.query as Record<string, unknown>, request.principal));

  app.get('/store/v1/gpts/categories', { onRequest }, async (request) => store.listing.categories(request.principal));

  app.get<SlugParams>('/store/v1/gpts/:slug', { onRequest }, async (request) => {
    const detail = await store.listing.get(request.params.slug, request.principal);
    if (!detail.editable || options.editorPage === undefined || request.principal === undefined) return detail;
    const page = await options.editorPage(request.params.slug, request.principal);
    return { ...detail, versions: page.versions, draft: page.draft };
  });

  app.get<SlugParams>('/store/v1/gpts/:slug/stats', { onRequest }, async (request) =>
    store.statistics.stats(request.params.slug, requireStorePrincipal(request, "see a GPT's statistics")),
  );
}
