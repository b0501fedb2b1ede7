// /admin/v1/providers: the configured providers (never their credentials) and
// /admin/v1/providers/health: passive health and circuit-breaker state of every deployment.
import type { FastifyInstance } from 'fastify';
import type { ProviderConfig } from '../../config/index.js';
import type { Router } from '../../routing/index.js';

export interface PresentedProviderModel {
  readonly name: string;
  readonly upstream_name: string | null;
  readonly context_window: number | null;
  readonly max_output_tokens: number | null;
  readonly embedding: boolean;
}

export interface PresentedProvider {
  readonly object: 'provider';
  readonly id: string;
  /** Null when the server was given only its routing table (the type is then not known here). */
  readonly type: ProviderConfig['type'] | null;
  readonly preset: string | null;
  readonly base_url: string | null;
  readonly models: readonly PresentedProviderModel[];
}

/**
 * The base URL without anything that could be a secret: user name, password, query and
 * fragment are dropped (some vendors take a key in the query string).
 */
export function publicBaseUrl(baseUrl: string | undefined): string | null {
  if (baseUrl === undefined) return null;
  try {
    const url = new URL(baseUrl);
    return `${url.origin}${url.pathname}`;
  } catch {
    return null;
  }
}

function presentConfigured(provider: ProviderConfig): PresentedProvider {
  return {
    object: 'provider',
    id: provider.id,
    type: provider.type,
    preset: provider.preset ?? null,
    base_url: publicBaseUrl(provider.baseUrl),
    // Headers, API keys, model file paths and URIs are left out on purpose: they may hold secrets or local paths.
    models: provider.models.map((model) =>
      typeof model === 'string'
        ? { name: model, upstream_name: null, context_window: null, max_output_tokens: null, embedding: false }
        : { name: model.name, upstream_name: model.upstreamName ?? null, context_window: model.contextWindow ?? null, max_output_tokens: model.maxOutputTokens ?? null, embedding: model.embedding === true },
    ),
  };
}

/** Without the configuration, the providers the routing table knows, with the models routed to them. */
function presentFromRoutingTable(router: Pick<Router, 'healthSnapshot'>): PresentedProvider[] {
  const modelsByProvider = new Map<string, string[]>();
  for (const entry of router.healthSnapshot()) {
    const models = modelsByProvider.get(entry.providerId) ?? [];
    if (!models.includes(entry.upstreamModel)) models.push(entry.upstreamModel);
    modelsByProvider.set(entry.providerId, models);
  }
  return [...modelsByProvider.entries()].map(([id, models]) => ({
    object: 'provider',
    id,
    type: null,
    preset: null,
    base_url: null,
    models: models.map((name) => ({ name, upstream_name: null, context_window: null, max_output_tokens: null, embedding: false })),
  }));
}

export function registerAdminProviderRoutes(app: FastifyInstance, router: Pick<Router, 'healthSnapshot'>, providers?: readonly ProviderConfig[]): void {
  app.get('/admin/v1/providers', async () => ({ object: 'list', data: providers === undefined ? presentFromRoutingTable(router) : providers.map(presentConfigured) }));
  app.get('/admin/v1/providers/health', async () => ({ object: 'list', data: router.healthSnapshot() }));
}
