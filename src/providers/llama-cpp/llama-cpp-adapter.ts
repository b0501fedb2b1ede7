// The embedded llama.cpp provider: serves GGUF models in-process, with no other server. Chat is
// formatted by each model's own chat template; answers, stream chunks and usage come back in
// the OpenAI shapes every other adapter produces.
import type { ChatCompletion, ChatCompletionChunk, ChatCompletionRequest, Usage } from '../../api/index.js';
import { invalidRequest, ModelmartError, randomToken } from '../../core/index.js';
import type { EmbeddingsRequest, EmbeddingsResult, ProviderAdapter, ProviderCallContext, StreamPart } from '../provider-contract.js';
import { UpstreamError } from '../provider-errors.js';
import { buildGenerationSettings } from './build-llama-cpp-generation.js';
import { convertToLlamaChatHistory } from './convert-to-llama-chat-history.js';
import { runChat, type GenerationEvent } from './llama-cpp-chat-run.js';
import type { LlamaCppEngine, LoadedModel } from './llama-cpp-engine.js';
import { abortError, generationFailed, unknownModel } from './llama-cpp-errors.js';
import type { LlamaCppModelSpec } from './llama-cpp-model-specs.js';

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

function usageOf(done: Extract<GenerationEvent, { type: 'done' }>): Usage {
  return {
    prompt_tokens: done.promptTokens,
    completion_tokens: done.completionTokens,
    total_tokens: done.promptTokens + done.completionTokens,
    ...(done.reasoningTokens > 0 ? { completion_tokens_details: { reasoning_tokens: done.reasoningTokens } } : {}),
  };
}

export interface LlamaCppAdapterParts {
  readonly providerId: string;
  readonly specs: readonly LlamaCppModelSpec[];
  readonly engine: LlamaCppEngine;
}

export function buildLlamaCppAdapter({ providerId, specs, engine }: LlamaCppAdapterParts): ProviderAdapter {
  function specFor(upstreamModel: string): LlamaCppModelSpec {
    const spec = specs.find((candidate) => candidate.upstreamName === upstreamModel) ?? specs.find((candidate) => candidate.name === upstreamModel);
    if (spec === undefined) throw unknownModel(providerId, upstreamModel, specs.map((candidate) => candidate.name));
    return spec;
  }

  /** Loads the model, waits for a free sequence, and streams the generation's events. */
  async function* generate(request: ChatCompletionRequest, upstreamModel: string, context: ProviderCallContext): AsyncGenerator<GenerationEvent> {
    const spec = specFor(upstreamModel);
    if (spec.embedding) throw invalidRequest(`Model ${JSON.stringify(upstreamModel)} is an embedding model; use /v1/embeddings.`, 'model', 'model_not_chat_capable');
    const history = convertToLlamaChatHistory(request.messages, upstreamModel, context.warnings);
    const loaded: LoadedModel = await engine.load(spec);
    const { queue, contextSize } = await loaded.chatSlots();
    const settings = buildGenerationSettings(request, spec, contextSize, context.warnings);
    const lease = await queue.acquire(context.signal);
    yield* runChat({ loaded, lease, history, settings, signal: context.signal, warnings: context.warnings });
  }

  function failure(error: unknown, upstreamModel: string, context: ProviderCallContext, afterFirstByte = false): unknown {
    if (context.signal.aborted) return abortError(context.signal);
    if (error instanceof ModelmartError) return error;
    if (error instanceof Error && error.name === 'AbortError') return error;
    if (!afterFirstByte) return generationFailed(providerId, upstreamModel, error);
    const detail = error instanceof Error ? error.message : String(error);
    return new UpstreamError({ provider: providerId, status: 500, message: `the generation broke off: ${detail}`, code: 'engine_error', afterFirstByte: true }, error);
  }

  return {
    id: providerId,
    type: 'llama-cpp',

    async chat(request, upstreamModel, context): Promise<ChatCompletion> {
      let text = '';
      let reasoning = '';
      try {
        for await (const event of generate(request, upstreamModel, context)) {
          if (event.type === 'text') text += event.text;
          else if (event.type === 'reasoning') reasoning += event.text;
          else {
            return {
              id: `chatcmpl-${randomToken(12)}`,
              object: 'chat.completion',
              created: nowSeconds(),
              model: upstreamModel,
              choices: [
                {
                  index: 0,
                  message: { role: 'assistant', content: text, ...(reasoning === '' ? {} : { reasoning_content: reasoning }) },
                  logprobs: null,
                  finish_reason: event.finishReason,
                },
              ],
              usage: usageOf(event),
            };
          }
        }
      } catch (error) {
        throw failure(error, upstreamModel, context);
      }
      throw failure(new Error('the generation ended without a result'), upstreamModel, context);
    },

    async *streamChat(request, upstreamModel, context): AsyncGenerator<StreamPart> {
      const id = `chatcmpl-${randomToken(12)}`;
      const created = nowSeconds();
      const chunk = (delta: ChatCompletionChunk['choices'][number]['delta'], finishReason: ChatCompletionChunk['choices'][number]['finish_reason'] = null): StreamPart => ({
        type: 'chunk',
        chunk: { id, object: 'chat.completion.chunk', created, model: upstreamModel, choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }] },
      });
      let started = false;
      try {
        for await (const event of generate(request, upstreamModel, context)) {
          if (!started) {
            started = true;
            yield chunk({ role: 'assistant', content: '' });
          }
          if (event.type === 'text') yield chunk({ content: event.text });
          else if (event.type === 'reasoning') yield chunk({ reasoning_content: event.text });
          else {
            yield chunk({}, event.finishReason);
            yield { type: 'usage', usage: usageOf(event) };
          }
        }
      } catch (error) {
        throw failure(error, upstreamModel, context, started);
      }
    },

    async embed(request: EmbeddingsRequest, upstreamModel: string, context: ProviderCallContext): Promise<EmbeddingsResult> {
      const spec = specFor(upstreamModel);
      const inputs = typeof request.input === 'string' ? [request.input] : request.input;
      const texts: string[] = [];
      for (const [index, input] of inputs.entries()) {
        if (typeof input !== 'string') {
          throw invalidRequest('Token arrays are not accepted by the embedded engine: their ids belong to another tokenizer. Send text.', 'input', 'unsupported_input');
        }
        if (input === '') throw invalidRequest(`input[${index}] is empty; every input needs some text.`, 'input', 'invalid_value');
        texts.push(input);
      }
      try {
        const loaded = await engine.load(spec);
        const vectorLength = loaded.model.embeddingVectorSize;
        if (request.dimensions !== undefined && request.dimensions !== vectorLength) {
          throw invalidRequest(`Model ${JSON.stringify(upstreamModel)} returns ${vectorLength} dimensions; it cannot return ${request.dimensions}.`, 'dimensions', 'invalid_value');
        }
        const { queue, contextSize } = await loaded.embeddingContext();
        const lease = await queue.acquire(context.signal);
        try {
          const data: { index: number; embedding: number[] }[] = [];
          let promptTokens = 0;
          for (const [index, text] of texts.entries()) {
            if (context.signal.aborted) throw abortError(context.signal);
            const length = lease.resource.calculateInputLength(text);
            if (length > contextSize) {
              throw invalidRequest(`input[${index}] is ${length} tokens long; model ${JSON.stringify(upstreamModel)} embeds at most ${contextSize}.`, 'input', 'context_length_exceeded');
            }
            const embedding = await lease.resource.getEmbeddingFor(text);
            data.push({ index, embedding: [...embedding.vector] });
            promptTokens += length;
          }
          return { data, usage: { prompt_tokens: promptTokens, total_tokens: promptTokens } };
        } finally {
          lease.release();
        }
      } catch (error) {
        throw failure(error, upstreamModel, context);
      }
    },

    close: () => engine.close(),
  };
}
