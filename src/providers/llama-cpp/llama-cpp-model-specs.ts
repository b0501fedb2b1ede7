// Reads a llama-cpp provider's `models` list into one spec per model: where its GGUF file comes
// from (a local path or an hf: URI) and how it is served. Checked once, at start-up, so a typo
// in a model entry stops the server with a clear line rather than failing the first request.
import { resolve } from 'node:path';
import { ConfigError, type ProviderConfig } from '../../config/index.js';
import { parseHubUri, type HubModelReference } from './llama-cpp-model-download.js';

export type ModelSource =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'hub'; readonly uri: string; readonly reference: HubModelReference };

export interface LlamaCppModelSpec {
  /** The public name (`name`), and the name routes may use for it (`upstreamName`). */
  readonly name: string;
  readonly upstreamName: string;
  readonly source: ModelSource;
  /** Embedding models answer /v1/embeddings only. */
  readonly embedding: boolean;
  readonly contextWindow: number | undefined;
  readonly maxOutputTokens: number | undefined;
}

export function readModelSpecs(config: ProviderConfig): LlamaCppModelSpec[] {
  const problems: string[] = [];
  const specs: LlamaCppModelSpec[] = [];
  config.models.forEach((entry, index) => {
    const where = `providers[${config.id}].models[${index}]`;
    if (typeof entry === 'string') {
      problems.push(`${where}: a llama-cpp model needs { name, file } or { name, uri: "hf:<owner>/<repo>/<file>.gguf" }, got ${JSON.stringify(entry)}`);
      return;
    }
    if ((entry.file === undefined) === (entry.uri === undefined)) {
      problems.push(`${where} (${entry.name}): give exactly one of "file" (a local .gguf path) or "uri" (hf:<owner>/<repo>/<file>.gguf)`);
      return;
    }
    let source: ModelSource;
    if (entry.file !== undefined) {
      // Relative paths are taken from the directory the server was started in.
      source = { kind: 'file', path: resolve(entry.file) };
    } else {
      const uri = entry.uri ?? '';
      const reference = parseHubUri(uri);
      if (reference === undefined) {
        problems.push(`${where} (${entry.name}): expected uri "hf:<owner>/<repo>/<file>.gguf" (optionally "#<revision>"), got ${JSON.stringify(uri)}`);
        return;
      }
      source = { kind: 'hub', uri, reference };
    }
    specs.push({
      name: entry.name,
      upstreamName: entry.upstreamName ?? entry.name,
      source,
      embedding: entry.embedding ?? false,
      contextWindow: entry.contextWindow,
      maxOutputTokens: entry.maxOutputTokens,
    });
  });
  if (problems.length > 0) throw new ConfigError(problems, `provider ${config.id}`);
  return specs;
}

export function describeSource(source: ModelSource): string {
  return source.kind === 'file' ? source.path : source.uri;
}
