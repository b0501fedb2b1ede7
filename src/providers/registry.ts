// The only list of provider adapters: one factory per configured provider type.
import type { ProviderConfig } from '../config/index.js';
import type { Logger } from '../core/index.js';
import { invalidRequest, notFound } from '../core/index.js';
import { createAnthropicAdapter } from './anthropic/index.js';
import { createAzureOpenAiAdapter } from './azure-openai/index.js';
import { createGeminiAdapter } from './gemini/index.js';
import { closeUpstreamClients } from './http/index.js';
import { createLlamaCppAdapter } from './llama-cpp/index.js';
import { createOpenAiCompatibleAdapter } from './openai-compatible/index.js';
import type { ProviderAdapter } from './provider-contract.js';

export interface ProviderRegistryOptions {
  readonly dataDir: string;
  readonly logger?: Logger;
}

export interface ProviderRegistry {
  get(providerId: string): ProviderAdapter;
  list(): readonly ProviderAdapter[];
  /**
   * Uses `apiKey` instead of the configured one (undefined: back to the configured one) for
   * every request from now on; requests already running finish with the adapter they started on.
   */
  overrideApiKey(providerId: string, apiKey: string | undefined): void;
  close(): Promise<void>;
}

function createAdapter(config: ProviderConfig, options: ProviderRegistryOptions): ProviderAdapter {
  switch (config.type) {
    case 'openai-compatible':
      return createOpenAiCompatibleAdapter(config);
    case 'anthropic':
      return createAnthropicAdapter(config);
    case 'gemini':
      return createGeminiAdapter(config);
    case 'azure-openai':
      return createAzureOpenAiAdapter(config);
    case 'llama-cpp':
      return createLlamaCppAdapter(config, options.logger === undefined ? { dataDir: options.dataDir } : { dataDir: options.dataDir, logger: options.logger });
  }
}

export function createProviderRegistry(providers: readonly ProviderConfig[], options: ProviderRegistryOptions): ProviderRegistry {
  const adapters = new Map<string, ProviderAdapter>();
  const configs = new Map<string, ProviderConfig>();
  for (const provider of providers) {
    configs.set(provider.id, provider);
    adapters.set(provider.id, createAdapter(provider, options));
  }
  return {
    get(providerId) {
      const adapter = adapters.get(providerId);
      if (adapter === undefined) throw notFound(`No provider with id ${JSON.stringify(providerId)} is configured.`, 'provider_not_found');
      return adapter;
    },
    list: () => [...adapters.values()],
    overrideApiKey(providerId, apiKey) {
      const config = configs.get(providerId);
      if (config === undefined) throw notFound(`No provider with id ${JSON.stringify(providerId)} is configured.`, 'provider_not_found');
      if (config.type === 'llama-cpp') throw invalidRequest(`Provider ${JSON.stringify(providerId)} is the embedded engine; it takes no API key.`, 'provider');
      // Adapters build their auth headers once, so a new key means a new adapter for that provider.
      const { apiKey: configuredKey, ...rest } = config;
      const effectiveKey = apiKey ?? configuredKey;
      adapters.set(providerId, createAdapter(effectiveKey === undefined ? rest : { ...rest, apiKey: effectiveKey }, options));
    },
    async close() {
      await Promise.all([...adapters.values()].map((adapter) => adapter.close?.()));
      await closeUpstreamClients();
    },
  };
}
