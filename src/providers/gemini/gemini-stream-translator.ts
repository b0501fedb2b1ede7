// Gemini's streamed GenerateContentResponses (`alt=sse`) → OpenAI chat.completion.chunk
// StreamParts. Each event carries the next piece of every candidate: text arrives in
// fragments, a function call whole (so its arguments come in one fragment), and the last
// event holds finishReason and the final usageMetadata, sent on as a usage part at the end.
import type { ChatCompletionChunk, FinishReason } from '../../api/index.js';
import type { StreamPart } from '../provider-contract.js';
import { UpstreamError } from '../provider-errors.js';
import { geminiResponseSchema, type GeminiUsageMetadata } from './gemini-api-types.js';
import { newGeminiCompletionId, readGeminiParts } from './convert-from-gemini-response.js';
import { convertGeminiUsage } from './convert-gemini-usage.js';
import { geminiStreamError } from './gemini-errors.js';
import { mapGeminiFinishReason } from './map-gemini-finish-reason.js';

export interface GeminiStreamOptions {
  readonly provider: string;
  readonly fallbackModel: string;
  readonly createdSeconds: number;
}

interface ChoiceState {
  roleSent: boolean;
  toolCount: number;
  finished: boolean;
}

type Delta = ChatCompletionChunk['choices'][number]['delta'];

export async function* translateGeminiStream(events: AsyncIterable<{ readonly data: string }>, options: GeminiStreamOptions): AsyncGenerator<StreamPart> {
  let id: string | undefined;
  let model = options.fallbackModel;
  let usage: GeminiUsageMetadata | undefined;
  let blocked = false;
  let yielded = false;
  const choices = new Map<number, ChoiceState>();

  const malformed = (message: string): UpstreamError =>
    new UpstreamError({ provider: options.provider, status: 502, message, code: 'upstream_invalid_response', afterFirstByte: yielded });

  // Yields the role chunk of a choice once, before its first piece of content.
  function* emit(index: number, delta: Delta, finishReason: FinishReason | null = null): Generator<StreamPart> {
    const state = choices.get(index) ?? { roleSent: false, toolCount: 0, finished: false };
    choices.set(index, state);
    const chunk = (chunkDelta: Delta, reason: FinishReason | null): StreamPart => ({
      type: 'chunk',
      chunk: {
        id: id ?? newGeminiCompletionId(),
        object: 'chat.completion.chunk',
        created: options.createdSeconds,
        model,
        choices: [{ index, delta: chunkDelta, logprobs: null, finish_reason: reason }],
      },
    });
    if (!state.roleSent) {
      state.roleSent = true;
      yield chunk({ role: 'assistant', content: '' }, null);
    }
    yielded = true;
    yield chunk(delta, finishReason);
  }

  for await (const sse of events) {
    let json: unknown;
    try {
      json = JSON.parse(sse.data);
    } catch {
      throw malformed(`stream event is not JSON: ${sse.data.slice(0, 200)}`);
    }
    const streamError = geminiStreamError(options.provider, json, yielded);
    if (streamError !== undefined) throw streamError;
    const parsed = geminiResponseSchema.safeParse(json);
    if (!parsed.success) throw malformed('stream event is not a GenerateContentResponse');
    const response = parsed.data;
    id ??= response.responseId ?? newGeminiCompletionId();
    model = response.modelVersion ?? model;
    usage = response.usageMetadata ?? usage;
    if (response.promptFeedback?.blockReason !== undefined) blocked = true;

    for (const candidate of response.candidates ?? []) {
      const index = candidate.index ?? 0;
      const state = choices.get(index) ?? { roleSent: false, toolCount: 0, finished: false };
      choices.set(index, state);
      const { text, toolCalls } = readGeminiParts(candidate.content?.parts);
      if (text !== '') yield* emit(index, { content: text });
      if (toolCalls.length > 0) {
        const first = state.toolCount;
        state.toolCount += toolCalls.length;
        yield* emit(index, { tool_calls: toolCalls.map((call, offset) => ({ index: first + offset, ...call })) });
      }
      if (candidate.finishReason !== undefined && !state.finished) {
        state.finished = true;
        yield* emit(index, {}, mapGeminiFinishReason(candidate.finishReason, state.toolCount > 0));
      }
    }
  }

  if (choices.size === 0 && blocked) {
    // A blocked prompt streams only promptFeedback: answer with an empty, filtered choice.
    yield* emit(0, {}, 'content_filter');
  } else if (choices.size === 0 || [...choices.values()].some((state) => !state.finished)) {
    throw new UpstreamError({ provider: options.provider, status: 502, message: 'the stream ended before every candidate finished', code: 'upstream_stream_interrupted', afterFirstByte: yielded });
  }
  if (usage !== undefined) yield { type: 'usage', usage: convertGeminiUsage(usage) };
}
