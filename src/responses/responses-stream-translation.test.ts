import { describe, expect, it } from 'vitest';
import type { ChatCompletionChunk, ToolCallDelta } from '../api/index.js';
import { responseStreamEventSchema, responsesRequestSchema, type ResponseStreamEvent } from '../api/responses-schemas.js';
import type { StreamPart } from '../providers/provider-contract.js';
import { ModelmartError } from '../core/index.js';
import { createResponseSkeleton, type ItemIdFactory } from './responses-output-translation.js';
import { ResponseStreamTranslator } from './responses-stream-translation.js';

function countingIds(): ItemIdFactory {
  let count = 0;
  return (prefix) => `${prefix}_${(count += 1)}`;
}

function chunk(delta: { content?: string; refusal?: string; tool_calls?: ToolCallDelta[] }, finishReason: ChatCompletionChunk['choices'][number]['finish_reason'] = null): StreamPart {
  return { type: 'chunk', chunk: { id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: finishReason }] } };
}

const usagePart: StreamPart = { type: 'usage', usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 } };

async function* fakeStream(parts: readonly StreamPart[]): AsyncGenerator<StreamPart> {
  for (const part of parts) yield part;
}

function newTranslator(): ResponseStreamTranslator {
  const request = responsesRequestSchema.parse({ model: 'chat-default', input: 'x' });
  return new ResponseStreamTranslator(createResponseSkeleton(request, { id: 'resp_1', createdAt: new Date(0) }), countingIds());
}

async function translateAll(parts: readonly StreamPart[]): Promise<ResponseStreamEvent[]> {
  const translator = newTranslator();
  const events = translator.begin();
  for await (const part of fakeStream(parts)) events.push(...translator.accept(part));
  events.push(...translator.complete());
  return events;
}

function expectWellFormed(events: readonly ResponseStreamEvent[]): void {
  events.forEach((event, index) => {
    expect(event.sequence_number).toBe(index);
    expect(responseStreamEventSchema.safeParse(event).success).toBe(true);
  });
}

describe('ResponseStreamTranslator', () => {
  it('streams text in the documented event order and completes with usage', async () => {
    const events = await translateAll([chunk({ content: 'Hel' }), chunk({ content: 'lo' }), chunk({}, 'stop'), usagePart]);
    expectWellFormed(events);
    expect(events.map((event) => event.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events[0]).toMatchObject({ response: { status: 'in_progress', output: [], usage: null } });
    expect(events[2]).toMatchObject({ output_index: 0, item: { id: 'msg_1', status: 'in_progress', content: [] } });
    expect(events[4]).toMatchObject({ item_id: 'msg_1', output_index: 0, content_index: 0, delta: 'Hel' });
    expect(events[6]).toMatchObject({ text: 'Hello' });
    expect(events[8]).toMatchObject({ item: { status: 'completed', content: [{ type: 'output_text', text: 'Hello', annotations: [] }] } });
    const completed = events.at(-1);
    expect(completed?.type === 'response.completed' && completed.response).toMatchObject({
      status: 'completed',
      output: [{ type: 'message', id: 'msg_1', content: [{ text: 'Hello' }] }],
      usage: { input_tokens: 7, output_tokens: 3, total_tokens: 10, input_tokens_details: { cached_tokens: 0 } },
    });
  });

  it('streams a function call with argument deltas', async () => {
    const events = await translateAll([
      chunk({ tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }),
      chunk({}, 'tool_calls'),
    ]);
    expectWellFormed(events);
    expect(events.map((event) => event.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events[2]).toMatchObject({ item: { type: 'function_call', id: 'fc_1', call_id: 'call_a', name: 'get_weather', arguments: '', status: 'in_progress' } });
    expect(events[5]).toMatchObject({ item_id: 'fc_1', name: 'get_weather', arguments: '{"city":"Paris"}' });
    const completed = events.at(-1);
    expect(completed?.type === 'response.completed' && completed.response.output).toEqual([
      { type: 'function_call', id: 'fc_1', call_id: 'call_a', name: 'get_weather', arguments: '{"city":"Paris"}', status: 'completed' },
    ]);
  });

  it('closes the text item before a tool call opens the next output index', async () => {
    const events = await translateAll([
      chunk({ content: 'Let me check.' }),
      chunk({ tool_calls: [{ index: 0, id: 'call_a', function: { name: 'a', arguments: '{}' } }] }),
      chunk({ tool_calls: [{ index: 1, id: 'call_b', function: { name: 'b', arguments: '{}' } }] }),
      chunk({}, 'tool_calls'),
    ]);
    expectWellFormed(events);
    const structure = events
      .filter((event) => event.type === 'response.output_item.added' || event.type === 'response.output_item.done')
      .map((event) => `${event.type.slice('response.output_item.'.length)}:${event.output_index}`);
    expect(structure).toEqual(['added:0', 'done:0', 'added:1', 'done:1', 'added:2', 'done:2']);
  });

  it('ends incomplete on a length cut-off, and on interruption keeps what was produced', async () => {
    const cut = await translateAll([chunk({ content: 'Once' }, 'length')]);
    expect(cut.at(-1)).toMatchObject({ type: 'response.incomplete', response: { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } } });

    const translator = newTranslator();
    translator.accept(chunk({ content: 'Par' }));
    const events = translator.interrupt();
    expect(events.map((event) => event.type)).toEqual([
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.incomplete',
    ]);
    expect(translator.snapshot()).toMatchObject({
      status: 'incomplete',
      incomplete_details: { reason: 'client_disconnected' },
      output: [{ status: 'incomplete', content: [{ text: 'Par' }] }],
    });
    expect(translator.complete()).toEqual([]);
  });

  it('ends with response.failed carrying the error', () => {
    const translator = newTranslator();
    const events = [...translator.begin(), ...translator.fail(new ModelmartError(502, 'upstream broke', { code: 'upstream_error' }))];
    expectWellFormed(events);
    expect(events.at(-1)).toMatchObject({ type: 'response.failed', response: { status: 'failed', error: { code: 'upstream_error', message: 'upstream broke' } } });
  });

  it('streams refusals as refusal parts', async () => {
    const events = await translateAll([chunk({ refusal: 'No.' }, 'stop')]);
    expectWellFormed(events);
    expect(events.map((event) => event.type)).toContain('response.refusal.delta');
    expect(events.find((event) => event.type === 'response.refusal.done')).toMatchObject({ refusal: 'No.' });
  });
});
