// Where each GPT route file goes: the store's listing, reviews and builder pages in the public
// scope (a key optional) unless the store is private; creating, editing, publishing, knowledge
// and actions in the authenticated scope; moderation in the admin scope. One call per scope
// keeps the server's composition to three lines.
import type { FastifyInstance } from 'fastify';
import { keyAllowsGpt, keyAllowsModel, type ApiKeyService, type Principal } from '../../accounts/index.js';
import type { WebSessionService } from '../../accounts/web-session-service.js';
import type { ListedModel } from '../../routing/index.js';
import type { GptServices } from '../../gpts/index.js';
import { registerAdminGptModerationRoutes } from './admin-gpt-moderation-routes.js';
import { registerStoreBuilderRoutes } from './store-builder-routes.js';
import { registerStoreGptActionRoutes } from './store-gpt-action-routes.js';
import { registerStoreGptKnowledgeRoutes, registerStoreGptKnowledgeWebhookRoute } from './store-gpt-knowledge-routes.js';
import { registerStoreGptListingRoutes } from './store-gpt-listing-routes.js';
import { registerStoreGptReviewRoutes } from './store-gpt-review-routes.js';
import { registerStoreGptRoutes } from './store-gpt-routes.js';

export interface GptRouteScopes {
  readonly gpts: GptServices;
  readonly apiKeys: ApiKeyService;
  /** config.store.private: the store's pages need a key too. */
  readonly storePrivate: boolean;
  /** config.gpts.knowledge.maxFileBytes: an upload past it gets 413. */
  readonly maxKnowledgeFileBytes: number;
  /** The web app's cookie sessions: the store's pages, where a key is optional, accept them too. */
  readonly sessions?: WebSessionService | undefined;
}

export type GptRouteScope = 'public' | 'authenticated' | 'admin';

function registerStorePages(scope: FastifyInstance, { gpts, apiKeys, sessions }: GptRouteScopes): void {
  registerStoreGptListingRoutes(scope, gpts.store, apiKeys, { sessions });
  registerStoreGptReviewRoutes(scope, gpts.store, apiKeys, sessions);
  registerStoreBuilderRoutes(scope, gpts.store, apiKeys, sessions);
}

export function registerGptRoutes(scope: FastifyInstance, routes: GptRouteScopes, kind: GptRouteScope): void {
  const { gpts } = routes;
  if (kind === 'public') {
    if (!routes.storePrivate) registerStorePages(scope, routes);
    // A webhook source pushes with its own secret, not an API key.
    registerStoreGptKnowledgeWebhookRoute(scope, { sources: gpts.sources });
    return;
  }
  if (kind === 'admin') {
    registerAdminGptModerationRoutes(scope, gpts.store);
    return;
  }
  if (routes.storePrivate) registerStorePages(scope, routes);
  // The listing answers GET /store/v1/gpts/{slug} (with the draft for its editors).
  registerStoreGptRoutes(scope, { gpts: gpts.definitions, exchange: gpts.exchange, registerPage: false });
  const requireEditable = (reference: string, principal: Principal) => gpts.definitions.requireEditable(reference, principal);
  registerStoreGptActionRoutes(scope, { actions: gpts.actions, requireEditable });
  registerStoreGptKnowledgeRoutes(scope, { knowledge: gpts.knowledge, sources: gpts.sources, requireEditable, maxFileBytes: routes.maxKnowledgeFileBytes });
}

// GET /v1/models lists at most this many GPTs (the newest); the store pages through all of them.
const listedGptLimit = 100;

/** The newest published GPTs the key may call (its GPT allow list and the base model's scope), as `gpt:<slug>` models. */
export function gptModelLister(gpts: GptServices): (principal: Principal) => Promise<readonly ListedModel[]> {
  return async (principal) => {
    const page = await gpts.store.listing.list({ sort: 'new', limit: listedGptLimit }, principal);
    return page.data
      .filter((item) => item.latest_version !== null && keyAllowsGpt(principal, item.slug) && keyAllowsModel(principal, item.base_model))
      .map((item) => ({
        id: `gpt:${item.slug}`,
        object: 'model' as const,
        created: Math.floor(Date.parse(item.published_at ?? '1970-01-01T00:00:00Z') / 1000),
        owned_by: item.builder.organisation_id,
      }));
  };
}
