// Runs one chat generation on a leased sequence and hands out what it produces as an async
// stream of events: text (and thought) deltas as node-llama-cpp calls back with them, then
// one `done` event with the finish reason and the engine's own token counts.
import { LlamaChat, type ChatHistoryItem, type LlamaGrammar, type LlamaChatResponseChunk } from 'node-llama-cpp';
import type { FinishReason } from '../../api/index.js';
import { invalidRequest } from '../../core/index.js';
import type { GenerationSettings } from './build-llama-cpp-generation.js';
import type { ChatSlot, LoadedModel } from './llama-cpp-engine.js';
import { abortError } from './llama-cpp-errors.js';
import type { SequenceLease } from './llama-cpp-sequence-queue.js';

export type GenerationEvent =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'reasoning'; readonly text: string }
  | {
      readonly type: 'done';
      readonly finishReason: FinishReason;
      readonly promptTokens: number;
      readonly completionTokens: number;
      readonly reasoningTokens: number;
    };

/** A one-reader queue between node-llama-cpp's callbacks and an async iterator. */
class EventChannel<T> {
  private readonly items: T[] = [];
  private wake: (() => void) | undefined;
  private ended = false;

  push(item: T): void {
    this.items.push(item);
    this.wake?.();
  }
  end(): void {
    this.ended = true;
    this.wake?.();
  }
  async *drain(): AsyncGenerator<T> {
    for (;;) {
      const item = this.items.shift();
      if (item !== undefined) {
        yield item;
        continue;
      }
      if (this.ended) return;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      this.wake = undefined;
    }
  }
}

async function grammarFor(loaded: LoadedModel, settings: GenerationSettings, warnings: string[]): Promise<LlamaGrammar | undefined> {
  if (settings.jsonOutput === undefined) return undefined;
  if (settings.jsonOutput.kind === 'json') return loaded.llama.getGrammarFor('json');
  try {
    // The schema is the client's; node-llama-cpp supports a subset of JSON Schema and says so by throwing.
    return await loaded.llama.createGrammarForJsonSchema(settings.jsonOutput.schema as Parameters<typeof loaded.llama.createGrammarForJsonSchema>[0]);
  } catch (error) {
    warnings.push(`response_format json_schema was relaxed to json_object: ${error instanceof Error ? error.message : String(error)}`);
    return loaded.llama.getGrammarFor('json');
  }
}

function finishReasonOf(stopReason: string): FinishReason {
  if (stopReason === 'maxTokens') return 'length';
  if (stopReason === 'functionCalls') return 'tool_calls';
  return 'stop';
}

export interface ChatRunRequest {
  readonly loaded: LoadedModel;
  readonly lease: SequenceLease<ChatSlot>;
  readonly history: ChatHistoryItem[];
  readonly settings: GenerationSettings;
  readonly signal: AbortSignal;
  readonly warnings: string[];
}

/**
 * Yields the generation's events. Leaving the loop early (a client that went away) aborts the
 * generation and waits for it to stop before the sequence goes back to the queue.
 */
export async function* runChat(run: ChatRunRequest): AsyncGenerator<GenerationEvent> {
  const { loaded, lease, history, settings, signal } = run;
  const slot = lease.resource;
  const stopper = new AbortController();
  const forwardAbort = (): void => stopper.abort(signal.reason);
  signal.addEventListener('abort', forwardAbort, { once: true });
  let generation: Promise<unknown> | undefined;
  let completed = false;
  try {
    const grammar = await grammarFor(loaded, settings, run.warnings);
    const promptTokens = slot.chat.chatWrapper.generateContextState({ chatHistory: history }).contextText.tokenize(loaded.model.tokenizer).length;
    const contextSize = slot.sequence.contextSize;
    if (promptTokens >= contextSize) {
      // node-llama-cpp would silently drop the oldest messages to fit; OpenAI refuses instead.
      throw invalidRequest(
        `This model's context holds ${contextSize} tokens, and the messages take ${promptTokens}. Shorten the messages or raise contextWindow in the model's configuration.`,
        'messages',
        'context_length_exceeded',
      );
    }
    const meterBefore = slot.sequence.tokenMeter.getState();
    const channel = new EventChannel<GenerationEvent>();
    let reasoningTokens = 0;
    const onResponseChunk = (chunk: LlamaChatResponseChunk): void => {
      if (chunk.type === undefined) {
        if (chunk.text !== '') channel.push({ type: 'text', text: chunk.text });
      } else if (chunk.segmentType === 'thought') {
        reasoningTokens += chunk.tokens.length;
        if (chunk.text !== '') channel.push({ type: 'reasoning', text: chunk.text });
      }
    };
    const response = slot.chat
      .generateResponse(history, {
        onResponseChunk,
        signal: stopper.signal,
        stopOnAbortSignal: true,
        maxTokens: settings.maxTokens,
        temperature: settings.temperature,
        ...(settings.topP === undefined ? {} : { topP: settings.topP }),
        ...(settings.seed === undefined ? {} : { seed: settings.seed }),
        ...(settings.stop.length === 0 ? {} : { customStopTriggers: settings.stop }),
        ...(grammar === undefined ? {} : { grammar }),
        repeatPenalty:
          settings.presencePenalty === undefined && settings.frequencyPenalty === undefined
            ? false
            : { penalty: 1, presencePenalty: settings.presencePenalty ?? 0, frequencyPenalty: settings.frequencyPenalty ?? 0 },
      })
      .finally(() => channel.end());
    generation = response;
    // Observed at once so that a failure is never unhandled while the reader is between events.
    response.catch(() => undefined);

    yield* channel.drain();
    const result = await response;
    if (signal.aborted) throw abortError(signal);
    const used = slot.sequence.tokenMeter.diff(meterBefore);
    completed = true;
    yield {
      type: 'done',
      finishReason: finishReasonOf(result.metadata.stopReason),
      promptTokens,
      completionTokens: used.usedOutputTokens,
      reasoningTokens,
    };
  } finally {
    signal.removeEventListener('abort', forwardAbort);
    if (!completed) {
      stopper.abort();
      await generation?.catch(() => undefined);
      // The chat's cached state may be mid-answer; a fresh chat on a cleared sequence is safe.
      slot.chat.dispose({ disposeSequence: false });
      await slot.sequence.clearHistory().catch(() => undefined);
      slot.chat = new LlamaChat({ contextSequence: slot.sequence, chatWrapper: slot.chatWrapper });
    }
    lease.release();
  }
}
