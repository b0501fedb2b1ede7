// Anthropic's stream events → OpenAI chat.completion.chunk StreamParts: a role chunk, text
// deltas, tool-call deltas (id and name first, then argument fragments), one finish chunk,
// then the usage part. The role chunk waits for the first content, so an error event that
// arrives before any output (an overload, typically) can still be retried elsewhere.
import type { ChatCompletionChunk, FinishReason, ToolCallDelta } from '../../api/index.js';
import type { StreamPart } from '../provider-contract.js';
import { UpstreamError } from '../provider-errors.js';
import { anthropicStreamEventSchema, anthropicStreamEventTypes, type AnthropicUsage } from './anthropic-api-types.js';
import { anthropicStreamError } from './anthropic-errors.js';
import { convertAnthropicUsage, mergeAnthropicUsage } from './convert-anthropic-usage.js';
import { mapAnthropicFinishReason } from './map-anthropic-finish-reason.js';

export interface AnthropicStreamOptions {
  readonly provider: string;
  readonly fallbackModel: string;
  readonly jsonToolName: string | undefined;
  readonly createdSeconds: number;
}

type BlockState =
  | { readonly kind: 'text' }
  | { readonly kind: 'tool'; readonly toolIndex: number; sentArguments: boolean }
  | { readonly kind: 'json' }
  | { readonly kind: 'ignored' };

type Delta = ChatCompletionChunk['choices'][number]['delta'];

export async function* translateAnthropicStream(
  events: AsyncIterable<{ readonly data: string }>,
  options: AnthropicStreamOptions,
): AsyncGenerator<StreamPart> {
  let id = 'msg';
  let model = options.fallbackModel;
  let usage: AnthropicUsage | undefined;
  let stopReason: string | null | undefined;
  let roleSent = false;
  let answeredWithJsonTool = false;
  let toolCount = 0;
  let yielded = false;
  const blocks = new Map<number, BlockState>();

  const chunk = (delta: Delta, finishReason: FinishReason | null = null): StreamPart => ({
    type: 'chunk',
    chunk: {
      id,
      object: 'chat.completion.chunk',
      created: options.createdSeconds,
      model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    },
  });
  // Yields the role chunk once, before the first piece of content.
  function* emit(delta: Delta, finishReason: FinishReason | null = null): Generator<StreamPart> {
    if (!roleSent) {
      roleSent = true;
      yield chunk({ role: 'assistant', content: '' });
    }
    yielded = true;
    yield chunk(delta, finishReason);
  }
  function* finish(): Generator<StreamPart> {
    yield* emit({}, mapAnthropicFinishReason(stopReason, answeredWithJsonTool));
    if (usage !== undefined) yield { type: 'usage', usage: convertAnthropicUsage(usage) };
  }
  const toolDelta = (toolCall: ToolCallDelta): Delta => ({ tool_calls: [toolCall] });
  const malformed = (message: string, code = 'upstream_invalid_response'): UpstreamError =>
    new UpstreamError({ provider: options.provider, status: 502, message, code, afterFirstByte: yielded });

  for await (const sse of events) {
    let json: unknown;
    try {
      json = JSON.parse(sse.data);
    } catch {
      throw malformed(`stream event is not JSON: ${sse.data.slice(0, 200)}`);
    }
    const parsed = anthropicStreamEventSchema.safeParse(json);
    if (!parsed.success) {
      const type = typeof json === 'object' && json !== null && 'type' in json ? json.type : undefined;
      // Anthropic may add event types; only a known type with a broken shape is an error.
      if (typeof type === 'string' && anthropicStreamEventTypes.has(type)) throw malformed(`malformed ${type} event`);
      continue;
    }
    const event = parsed.data;
    switch (event.type) {
      case 'message_start':
        id = event.message.id;
        model = event.message.model ?? model;
        usage = mergeAnthropicUsage(usage, event.message.usage);
        break;
      case 'content_block_start': {
        const block = event.content_block;
        if (block.type === 'text') {
          blocks.set(event.index, options.jsonToolName === undefined ? { kind: 'text' } : { kind: 'ignored' });
          if (block.text !== undefined && block.text !== '' && options.jsonToolName === undefined) yield* emit({ content: block.text });
        } else if (block.type === 'tool_use' && block.name !== undefined && block.name === options.jsonToolName) {
          blocks.set(event.index, { kind: 'json' });
          answeredWithJsonTool = true;
        } else if (block.type === 'tool_use' && block.name !== undefined) {
          const toolIndex = toolCount;
          toolCount += 1;
          blocks.set(event.index, { kind: 'tool', toolIndex, sentArguments: false });
          yield* emit(toolDelta({ index: toolIndex, id: block.id ?? `toolu_${toolIndex}`, type: 'function', function: { name: block.name, arguments: '' } }));
        } else {
          blocks.set(event.index, { kind: 'ignored' });
        }
        break;
      }
      case 'content_block_delta': {
        const state = blocks.get(event.index);
        const { delta } = event;
        if (state?.kind === 'text' && delta.text !== undefined && delta.text !== '') {
          yield* emit({ content: delta.text });
        } else if (state?.kind === 'json' && delta.partial_json !== undefined && delta.partial_json !== '') {
          yield* emit({ content: delta.partial_json });
        } else if (state?.kind === 'tool' && delta.partial_json !== undefined && delta.partial_json !== '') {
          state.sentArguments = true;
          yield* emit(toolDelta({ index: state.toolIndex, function: { arguments: delta.partial_json } }));
        }
        break;
      }
      case 'content_block_stop': {
        const state = blocks.get(event.index);
        // A tool called without arguments streams no fragments; "{}" keeps the arguments valid JSON.
        if (state?.kind === 'tool' && !state.sentArguments) {
          state.sentArguments = true;
          yield* emit(toolDelta({ index: state.toolIndex, function: { arguments: '{}' } }));
        }
        break;
      }
      case 'message_delta':
        stopReason = event.delta.stop_reason ?? stopReason;
        usage = mergeAnthropicUsage(usage, event.usage);
        break;
      case 'message_stop':
        yield* finish();
        return;
      case 'ping':
        break;
      case 'error':
        throw anthropicStreamError(options.provider, event.error, yielded);
    }
  }
  // The connection closed without message_stop: complete only if the stop reason already came.
  if (stopReason === undefined || stopReason === null) throw malformed('stream ended before the message was complete', 'upstream_stream_interrupted');
  yield* finish();
}
