// The embedded llama.cpp provider: GGUF models served in-process, from a file or pulled once
// from a Hugging Face hub into a local cache. The registry builds it with createLlamaCppAdapter.
import { join } from 'node:path';
import type { ProviderConfig } from '../../config/index.js';
import type { Logger } from '../../core/index.js';
import type { ProviderAdapter } from '../provider-contract.js';
import { buildLlamaCppAdapter } from './llama-cpp-adapter.js';
import { LlamaCppEngine } from './llama-cpp-engine.js';
import { defaultHubBaseUrl } from './llama-cpp-model-download.js';
import { readModelSpecs } from './llama-cpp-model-specs.js';
import { defaultThreadCount } from './llama-cpp-threads.js';

export interface LlamaCppAdapterOptions {
  /** The server's data directory; pulled models go to `<dataDir>/models` by default. */
  readonly dataDir: string;
  /** The hub to pull hf: models from; HF_ENDPOINT, else the public Hugging Face hub. */
  readonly hubBaseUrl?: string;
  /** Where pulled models are kept; MODELMART_MODEL_CACHE, else `<dataDir>/models`. */
  readonly cacheDirectory?: string;
  /** Access token for gated hub repositories; HF_TOKEN when absent. */
  readonly hubToken?: string;
  readonly logger?: Logger;
  /** Where download progress is drawn; standard error when absent. */
  readonly progressStream?: NodeJS.WritableStream;
  /** The environment the defaults above are read from; process.env when absent. */
  readonly environment?: Readonly<Record<string, string | undefined>>;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

export function createLlamaCppAdapter(config: ProviderConfig, options: LlamaCppAdapterOptions): ProviderAdapter {
  const environment = options.environment ?? process.env;
  const specs = readModelSpecs(config);
  const engine = new LlamaCppEngine({
    providerId: config.id,
    threads: config.threads ?? defaultThreadCount(),
    maxConcurrentSequences: config.maxConcurrentSequences ?? 1,
    cacheDirectory: options.cacheDirectory ?? nonEmpty(environment['MODELMART_MODEL_CACHE']) ?? join(options.dataDir, 'models'),
    hubBaseUrl: options.hubBaseUrl ?? nonEmpty(environment['HF_ENDPOINT']) ?? defaultHubBaseUrl,
    hubToken: options.hubToken ?? nonEmpty(environment['HF_TOKEN']),
    logger: options.logger,
    progressStream: options.progressStream,
  });
  return buildLlamaCppAdapter({ providerId: config.id, specs, engine });
}

export { defaultThreadCount, countPhysicalCores } from './llama-cpp-threads.js';
export { parseHubUri, hubFileUrl, cachedModelPath, defaultHubBaseUrl } from './llama-cpp-model-download.js';
export { defaultContextSize } from './llama-cpp-engine.js';
