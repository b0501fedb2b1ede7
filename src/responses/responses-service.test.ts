import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testDatabaseTargets } from '../../test/support/test-databases.js';
import type { ChatCompletion, ChatCompletionRequest } from '../api/index.js';
import { responsesRequestSchema, type ResponseStreamEvent } from '../api/responses-schemas.js';
import type { Clock } from '../core/index.js';
import type { StreamPart } from '../providers/provider-contract.js';
import type { Database } from '../storage/index.js';
import { ResponsesRepository } from './responses-repository.js';
import { ResponsesService, type CreateResponseOptions, type ExecuteChat, type ExecuteStreamChat } from './index.js';

const clock: Clock = { now: () => new Date('2026-11-20T10:00:00Z'), monotonicMilliseconds: () => 0 };

function answer(message: ChatCompletion['choices'][number]['message'], finishReason: 'stop' | 'tool_calls' = 'stop'): ChatCompletion {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1,
    model: 'm',
    choices: [{ index: 0, message, finish_reason: finishReason }],
    usage: { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 },
  };
}

function textChunk(content: string, finishReason: 'stop' | null = null): StreamPart {
  return { type: 'chunk', chunk: { id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content }, finish_reason: finishReason }] } };
}

/** Records what the service asked the router for, and answers from a script. */
function fakeExecutors(replies: ChatCompletion[] = [], streams: ((signal: AbortSignal) => AsyncIterable<StreamPart>)[] = []) {
  const requests: ChatCompletionRequest[] = [];
  const executeChat: ExecuteChat = async (request) => {
    requests.push(request);
    const reply = replies.shift();
    if (reply === undefined) throw new Error('no scripted reply left');
    return reply;
  };
  const executeStreamChat: ExecuteStreamChat = (request, signal) => {
    requests.push(request);
    const stream = streams.shift();
    if (stream === undefined) throw new Error('no scripted stream left');
    return stream(signal);
  };
  return { requests, executeChat, executeStreamChat };
}

function options(keyId: string, executors: ReturnType<typeof fakeExecutors>, signal = new AbortController().signal): CreateResponseOptions {
  return { keyId, executeChat: executors.executeChat, executeStreamChat: executors.executeStreamChat, signal };
}

const request = (body: Record<string, unknown>) => responsesRequestSchema.parse({ model: 'chat-default', ...body });

async function collect(events: AsyncIterable<ResponseStreamEvent>): Promise<ResponseStreamEvent[]> {
  const collected: ResponseStreamEvent[] = [];
  for await (const event of events) collected.push(event);
  return collected;
}

describe.each(testDatabaseTargets())('ResponsesService on $name', (target) => {
  let database: Database;
  let dispose: () => Promise<void>;
  let service: ResponsesService;

  beforeEach(async () => {
    const opened = await target.open();
    database = opened.database;
    dispose = opened.dispose;
    service = new ResponsesService(database, clock);
  });
  afterEach(async () => dispose());

  it('stores a response with its resolved input and reads it back whole', async () => {
    const executors = fakeExecutors([answer({ role: 'assistant', content: 'Hello!' })]);
    const created = await service.create(request({ input: 'Hi', instructions: 'Be brief.', metadata: { topic: 'greeting' } }), options('key_a', executors));
    if (created.kind !== 'response') throw new Error('expected a response');
    expect(created.response).toMatchObject({ status: 'completed', created_at: 1_795_168_800, usage: { input_tokens: 10, output_tokens: 2 } });
    expect(await service.retrieve(created.response.id, 'key_a')).toEqual(created.response);
    const stored = await new ResponsesRepository(database.kysely).findOwned(created.response.id, 'key_a');
    expect(stored?.inputItems).toEqual([{ type: 'message', role: 'user', content: 'Hi' }]);
  });

  it('continues a conversation across turns with previous_response_id, without carrying instructions', async () => {
    const executors = fakeExecutors([
      answer({ role: 'assistant', content: null, tool_calls: [{ id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] }, 'tool_calls'),
      answer({ role: 'assistant', content: 'It is 18C in Paris.' }),
      answer({ role: 'assistant', content: 'You are welcome.' }),
    ]);
    const tools = [{ type: 'function', name: 'get_weather', parameters: { type: 'object' } }];
    const first = await service.create(request({ input: 'Weather in Paris?', instructions: 'Use tools.', tools }), options('key_a', executors));
    if (first.kind !== 'response') throw new Error('expected a response');
    const call = first.response.output[0];
    expect(call).toMatchObject({ type: 'function_call', call_id: 'call_a' });

    const second = await service.create(
      request({ previous_response_id: first.response.id, input: [{ type: 'function_call_output', call_id: 'call_a', output: '18C' }], tools }),
      options('key_a', executors),
    );
    if (second.kind !== 'response') throw new Error('expected a response');
    expect(executors.requests[1]?.messages).toEqual([
      { role: 'user', content: 'Weather in Paris?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
      { role: 'tool', tool_call_id: 'call_a', content: '18C' },
    ]);

    const third = await service.create(request({ previous_response_id: second.response.id, input: 'Thanks' }), options('key_a', executors));
    if (third.kind !== 'response') throw new Error('expected a response');
    expect(executors.requests[2]?.messages.map((message) => message.role)).toEqual(['user', 'assistant', 'tool', 'assistant', 'user']);
    expect(third.response.previous_response_id).toBe(second.response.id);
  });

  it('answers 404 for an unknown previous response and for another key’s', async () => {
    const executors = fakeExecutors([answer({ role: 'assistant', content: 'Hi' })]);
    const created = await service.create(request({ input: 'Hi' }), options('key_a', executors));
    if (created.kind !== 'response') throw new Error('expected a response');
    for (const [id, keyId] of [['resp_unknown', 'key_a'], [created.response.id, 'key_b']] as const) {
      await expect(service.create(request({ input: 'again', previous_response_id: id }), options(keyId, executors))).rejects.toMatchObject({
        status: 404,
        code: 'previous_response_not_found',
        param: 'previous_response_id',
      });
    }
    await expect(service.retrieve(created.response.id, 'key_b')).rejects.toMatchObject({ status: 404 });
    await expect(service.delete(created.response.id, 'key_b')).rejects.toMatchObject({ status: 404 });
    expect(executors.requests).toHaveLength(1);
  });

  it('deletes a response for its own key only, and does not store with store: false', async () => {
    const executors = fakeExecutors([answer({ role: 'assistant', content: 'A' }), answer({ role: 'assistant', content: 'B' })]);
    const kept = await service.create(request({ input: 'one' }), options('key_a', executors));
    const unstored = await service.create(request({ input: 'two', store: false }), options('key_a', executors));
    if (kept.kind !== 'response' || unstored.kind !== 'response') throw new Error('expected responses');
    await expect(service.retrieve(unstored.response.id, 'key_a')).rejects.toMatchObject({ status: 404, code: 'response_not_found' });
    expect(await service.delete(kept.response.id, 'key_a')).toEqual({ id: kept.response.id, object: 'response', deleted: true });
    await expect(service.retrieve(kept.response.id, 'key_a')).rejects.toMatchObject({ status: 404 });
    await expect(service.delete(kept.response.id, 'key_a')).rejects.toMatchObject({ status: 404 });
  });

  it('stores a streamed response before its completed event, so the next turn can follow at once', async () => {
    const executors = fakeExecutors([answer({ role: 'assistant', content: 'Second' })], [
      async function* () {
        yield textChunk('Fir');
        yield textChunk('st', 'stop');
        yield { type: 'usage', usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } };
      },
    ]);
    const created = await service.create(request({ input: 'Go', stream: true }), options('key_a', executors));
    if (created.kind !== 'stream') throw new Error('expected a stream');
    expect(executors.requests[0]).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    let stored: unknown;
    for await (const event of created.events) {
      if (event.type === 'response.completed') {
        stored = await service.retrieve(event.response.id, 'key_a');
        expect(stored).toEqual(event.response);
        expect(event.response.usage).toMatchObject({ total_tokens: 5 });
        const next = await service.create(request({ input: 'More', previous_response_id: event.response.id }), options('key_a', executors));
        expect(next.kind).toBe('response');
      }
    }
    expect(stored).toBeDefined();
    expect(executors.requests[1]?.messages).toEqual([
      { role: 'user', content: 'Go' },
      { role: 'assistant', content: 'First' },
      { role: 'user', content: 'More' },
    ]);
  });

  it('throws before any event when the upstream fails at once, and fails the stream when it breaks later', async () => {
    const executors = fakeExecutors([], [
      async function* () {
        throw new Error('no route');
      },
      async function* () {
        yield textChunk('Half');
        throw new Error('connection reset');
      },
    ]);
    await expect(service.create(request({ input: 'x', stream: true }), options('key_a', executors))).rejects.toThrow('no route');
    const broken = await service.create(request({ input: 'x', stream: true }), options('key_a', executors));
    if (broken.kind !== 'stream') throw new Error('expected a stream');
    const events = await collect(broken.events);
    const last = events.at(-1);
    expect(last).toMatchObject({ type: 'response.failed', response: { status: 'failed', error: { code: 'internal_error' } } });
    if (last?.type !== 'response.failed') throw new Error('expected response.failed');
    expect(await service.retrieve(last.response.id, 'key_a')).toMatchObject({ status: 'failed', output: [{ content: [{ text: 'Half' }] }] });
  });

  it('stores an abandoned stream as incomplete with what was produced', async () => {
    const abandon = (signal: AbortSignal): AsyncIterable<StreamPart> =>
      (async function* () {
        yield textChunk('Partial ');
        yield textChunk('answer');
        await new Promise((_resolve, reject) => {
          if (signal.aborted) reject(new Error('aborted'));
          signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
        });
      })();
    const executors = fakeExecutors([], [abandon, abandon, abandon]);

    // The consumer stops reading and closes the stream.
    const controller = new AbortController();
    const closed = await service.create(request({ input: 'x', stream: true }), options('key_a', executors, controller.signal));
    if (closed.kind !== 'stream') throw new Error('expected a stream');
    let responseId = '';
    for await (const event of closed.events) {
      if (event.type === 'response.created') responseId = event.response.id;
      if (event.type === 'response.output_text.delta' && event.delta === 'answer') {
        controller.abort();
        break;
      }
    }
    expect(await service.retrieve(responseId, 'key_a')).toMatchObject({
      status: 'incomplete',
      incomplete_details: { reason: 'client_disconnected' },
      output: [{ status: 'incomplete', content: [{ text: 'Partial answer' }] }],
    });

    // The consumer keeps reading after the abort: the stream ends with response.incomplete.
    const second = new AbortController();
    const read = await service.create(request({ input: 'x', stream: true }), options('key_a', executors, second.signal));
    if (read.kind !== 'stream') throw new Error('expected a stream');
    const events: ResponseStreamEvent[] = [];
    for await (const event of read.events) {
      events.push(event);
      if (event.type === 'response.output_text.delta' && event.delta === 'answer') second.abort();
    }
    const last = events.at(-1);
    expect(last).toMatchObject({ type: 'response.incomplete', response: { status: 'incomplete' } });
    if (last?.type !== 'response.incomplete') throw new Error('expected response.incomplete');
    expect(await service.retrieve(last.response.id, 'key_a')).toMatchObject({ status: 'incomplete', output: [{ content: [{ text: 'Partial answer' }] }] });

    // The consumer just stops pulling, never closing the stream: the abort alone stores it.
    const third = new AbortController();
    const dropped = await service.create(request({ input: 'x', stream: true }), options('key_a', executors, third.signal));
    if (dropped.kind !== 'stream') throw new Error('expected a stream');
    const iterator = dropped.events[Symbol.asyncIterator]();
    const createdEvent = (await iterator.next()).value;
    if (createdEvent?.type !== 'response.created') throw new Error('expected response.created first');
    for (let index = 0; index < 5; index += 1) await iterator.next();
    third.abort();
    await expect.poll(() => service.retrieve(createdEvent.response.id, 'key_a').catch(() => undefined)).toMatchObject({
      status: 'incomplete',
      output: [{ status: 'incomplete', content: [{ text: 'Partial answer' }] }],
    });
  });
});
