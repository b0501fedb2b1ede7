// The engine behind a llama-cpp provider: the shared llama.cpp runtime (CPU build, never compiled
// or downloaded at run time), and each configured model loaded on first use and kept loaded.
// A model's chat context holds `maxConcurrentSequences` sequences, lent out by a queue; its
// embedding context is created separately, the first time embeddings are asked of it.
import { access, constants } from 'node:fs/promises';
import { LlamaChat, type ChatWrapper, type Llama, type LlamaContext, type LlamaContextSequence, type LlamaEmbeddingContext, type LlamaModel } from 'node-llama-cpp';
import type { Logger } from '../../core/index.js';
import { createTerminalProgress } from './llama-cpp-download-progress.js';
import { abortError, modelUnavailable } from './llama-cpp-errors.js';
import { ensureHubModel, ModelDownloadError } from './llama-cpp-model-download.js';
import { describeSource, type LlamaCppModelSpec } from './llama-cpp-model-specs.js';
import { acquireLlamaRuntime, releaseLlamaRuntimeLogger } from './llama-cpp-runtime.js';
import { SequenceQueue } from './llama-cpp-sequence-queue.js';

/**
 * Used when a model entry sets no contextWindow. Real models are trained on 32k–128k tokens,
 * and a window that large costs gigabytes of KV cache per sequence on a CPU machine.
 */
export const defaultContextSize = 4096;

export interface LlamaCppEngineOptions {
  readonly providerId: string;
  readonly threads: number;
  readonly maxConcurrentSequences: number;
  readonly cacheDirectory: string;
  readonly hubBaseUrl: string;
  readonly hubToken?: string | undefined;
  readonly logger?: Logger | undefined;
  /** Where download progress bars are drawn; standard error when absent. */
  readonly progressStream?: NodeJS.WritableStream | undefined;
}

export interface ChatSlot {
  readonly sequence: LlamaContextSequence;
  /** Resolved once per model from its GGUF chat template (about a second of work), then shared. */
  readonly chatWrapper: ChatWrapper;
  chat: LlamaChat;
}

export interface LoadedModel {
  readonly spec: LlamaCppModelSpec;
  readonly llama: Llama;
  readonly model: LlamaModel;
  readonly path: string;
  chatSlots(): Promise<{ readonly queue: SequenceQueue<ChatSlot>; readonly contextSize: number }>;
  embeddingContext(): Promise<{ readonly queue: SequenceQueue<LlamaEmbeddingContext>; readonly contextSize: number }>;
}

/** Memoises an async step, forgetting a failure so that a later call tries again. */
function once<T>(create: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= create().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}

export class LlamaCppEngine {
  private readonly options: LlamaCppEngineOptions;
  private readonly models = new Map<string, Promise<LoadedModel>>();
  private readonly disposers: (() => Promise<void>)[] = [];
  private readonly queues: Pick<SequenceQueue<unknown>, 'rejectWaiting'>[] = [];
  private closed = false;
  private readonly runtime: () => Promise<Llama>;

  constructor(options: LlamaCppEngineOptions) {
    this.options = options;
    this.runtime = once(() => acquireLlamaRuntime(options.threads, options.logger));
  }

  /** The loaded model, loading it (and pulling its file) on first use. */
  load(spec: LlamaCppModelSpec): Promise<LoadedModel> {
    if (this.closed) return Promise.reject(modelUnavailable(this.options.providerId, spec.name, 'the provider is shut down', 'provider_closed'));
    let loading = this.models.get(spec.name);
    if (loading === undefined) {
      loading = this.loadModel(spec);
      this.models.set(spec.name, loading);
      // A failed load is not remembered: the file may be put in place before the next request.
      loading.catch(() => this.models.delete(spec.name));
    }
    return loading;
  }

  private async resolvePath(spec: LlamaCppModelSpec): Promise<string> {
    const { providerId } = this.options;
    if (spec.source.kind === 'file') {
      const path = spec.source.path;
      try {
        await access(path, constants.R_OK);
      } catch (error) {
        throw modelUnavailable(providerId, spec.name, `no readable model file at ${path} (check "file" in the provider's models)`, 'model_file_not_found', error);
      }
      return path;
    }
    try {
      return await ensureHubModel(spec.source.reference, {
        hubBaseUrl: this.options.hubBaseUrl,
        cacheDirectory: this.options.cacheDirectory,
        token: this.options.hubToken,
        progress: createTerminalProgress({ label: spec.source.uri, ...(this.options.progressStream === undefined ? {} : { stream: this.options.progressStream }) }),
      });
    } catch (error) {
      const reason = error instanceof ModelDownloadError ? error.message : String(error);
      throw modelUnavailable(providerId, spec.name, `could not pull ${spec.source.uri}: ${reason}`, 'model_download_failed', error);
    }
  }

  private async loadModel(spec: LlamaCppModelSpec): Promise<LoadedModel> {
    const { providerId, logger, threads, maxConcurrentSequences } = this.options;
    const path = await this.resolvePath(spec);
    const llama = await this.runtime();
    const started = performance.now();
    let model: LlamaModel;
    try {
      model = await llama.loadModel({ modelPath: path });
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      throw modelUnavailable(providerId, spec.name, `llama.cpp could not load ${path} (${detail})`, 'model_load_failed', error);
    }
    this.disposers.push(() => model.dispose());
    for (const warning of model.getWarnings()) logger?.warn({ provider: providerId, model: spec.name }, warning);
    logger?.info({ provider: providerId, model: spec.name, source: describeSource(spec.source), threads, milliseconds: Math.round(performance.now() - started) }, 'llama-cpp model loaded');

    const contextSize = Math.min(spec.contextWindow ?? defaultContextSize, model.trainContextSize);
    const chatSlots = once(async () => {
      const context: LlamaContext = await model.createContext({ sequences: maxConcurrentSequences, contextSize, threads });
      this.disposers.push(() => context.dispose());
      const first = new LlamaChat({ contextSequence: context.getSequence() });
      const chatWrapper = first.chatWrapper;
      logger?.info({ provider: providerId, model: spec.name, chatWrapper: chatWrapper.wrapperName }, 'llama-cpp chat format resolved from the model');
      const slots: ChatSlot[] = [{ sequence: first.sequence, chatWrapper, chat: first }];
      for (let index = 1; index < maxConcurrentSequences; index += 1) {
        const sequence = context.getSequence();
        slots.push({ sequence, chatWrapper, chat: new LlamaChat({ contextSequence: sequence, chatWrapper }) });
      }
      const queue = new SequenceQueue(slots);
      this.queues.push(queue);
      return { queue, contextSize: context.contextSize };
    });
    const embeddingContext = once(async () => {
      const context = await model.createEmbeddingContext({ contextSize, threads });
      this.disposers.push(() => context.dispose());
      // One embedding context evaluates one input at a time.
      const queue = new SequenceQueue([context]);
      this.queues.push(queue);
      return { queue, contextSize };
    });
    return { spec, llama, model, path, chatSlots, embeddingContext };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const closing = new AbortController();
    closing.abort();
    for (const queue of this.queues) queue.rejectWaiting(abortError(closing.signal));
    await Promise.allSettled([...this.models.values()]);
    // Contexts before their models: the reverse of creation. The runtime is shared and stays.
    for (const dispose of this.disposers.splice(0).reverse()) {
      await dispose().catch((error: unknown) => this.options.logger?.warn({ error }, 'llama-cpp dispose failed'));
    }
    releaseLlamaRuntimeLogger(this.options.logger);
  }
}
