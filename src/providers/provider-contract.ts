// The one contract every provider adapter implements. Inside Modelmart the lingua franca is
// the OpenAI Chat Completions shape: adapters for other vendors translate to and from it.
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionRequest,
  Usage,
} from '../api/index.js';

/** One piece of a streamed answer, in order. SSE is parsed and written only at the edges. */
export type StreamPart =
  | {
      readonly type: 'chunk';
      readonly chunk: ChatCompletionChunk;
      /**
       * The chunk's JSON text exactly as the upstream sent it, when the adapter changed nothing:
       * the server writes it as is instead of encoding the chunk again. Only for chunks the
       * consumer does not modify.
       */
      readonly encoded?: string;
    }
  | { readonly type: 'usage'; readonly usage: Usage };

export interface ProviderCallContext {
  /** Aborted when the client disconnects or a deadline passes: the upstream call must stop. */
  readonly signal: AbortSignal;
  readonly requestId: string;
  /** Parameters the adapter dropped because its upstream does not support them. */
  readonly warnings: string[];
}

export interface EmbeddingsRequest {
  readonly input: string | readonly string[] | readonly number[] | readonly (readonly number[])[];
  readonly encoding_format?: 'float' | 'base64' | undefined;
  readonly dimensions?: number | undefined;
  readonly user?: string | undefined;
}

export interface EmbeddingsResult {
  readonly data: readonly { readonly index: number; readonly embedding: readonly number[] }[];
  readonly usage: { readonly prompt_tokens: number; readonly total_tokens: number };
}

export interface CompletionRequest {
  readonly prompt: string | readonly string[];
  readonly [parameter: string]: unknown;
}

export interface ProviderAdapter {
  /** The provider id from the configuration, e.g. `openai` or `local-vllm`. */
  readonly id: string;
  readonly type: 'openai-compatible' | 'anthropic' | 'gemini' | 'azure-openai' | 'llama-cpp';
  /** `upstreamModel` is the name the upstream knows; the request's own `model` is the public name. */
  chat(request: ChatCompletionRequest, upstreamModel: string, context: ProviderCallContext): Promise<ChatCompletion>;
  streamChat(request: ChatCompletionRequest, upstreamModel: string, context: ProviderCallContext): AsyncIterable<StreamPart>;
  embed?(request: EmbeddingsRequest, upstreamModel: string, context: ProviderCallContext): Promise<EmbeddingsResult>;
  /** Legacy completions; the raw OpenAI-shaped body is passed through where the upstream has them. */
  complete?(request: CompletionRequest, upstreamModel: string, context: ProviderCallContext): Promise<Record<string, unknown>>;
  close?(): Promise<void>;
}

/**
 * A failure from an upstream, mapped to our error tree by the adapter. `status` is the
 * upstream's status (or 502/504 for transport failures); `retryable` drives routing.
 */
export interface UpstreamFailureDetails {
  readonly provider: string;
  readonly status: number;
  readonly message: string;
  readonly code?: string | null;
  readonly retryAfterMilliseconds?: number | undefined;
  /** True once any byte of a stream has been passed on: retrying would duplicate output. */
  readonly afterFirstByte?: boolean;
}
