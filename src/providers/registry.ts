// The only list of provider adapters: one factory per configured provider type.
import type { ProviderConfig } from '../config/index.js';
import type { Logger } from '../core/index.js';
import { notFound } from '../core/index.js';
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
  for (const provider of providers) adapters.set(provider.id, createAdapter(provider, options));
  return {
    get(providerId) {
      const adapter = adapters.get(providerId);
      if (adapter === undefined) throw notFound(`No provider with id ${JSON.stringify(providerId)} is configured.`, 'provider_not_found');
      return adapter;
    },
    list: () => [...adapters.values()],
    async close() {
      await Promise.all([...adapters.values()].map((adapter) => adapter.close?.()));
      await closeUpstreamClients();
    },
  };
}
