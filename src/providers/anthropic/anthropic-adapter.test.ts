import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatCompletionChunk, ChatCompletionRequest, Usage } from '../../api/index.js';
import { closeUpstreamClients } from '../http/index.js';
import type { ProviderAdapter, ProviderCallContext } from '../provider-contract.js';
import { UpstreamError } from '../provider-errors.js';
import { eventStreamFixture, jsonFixture, readFixture, startFixtureServer, type FixtureServer } from './__fixtures__/fixture-server.js';
import { createAnthropicAdapter } from './index.js';

const fixture = (name: string): string => readFixture(new URL(import.meta.url), name);

const weatherRequest: ChatCompletionRequest = {
  model: 'anthropic/claude',
  messages: [
    { role: 'system', content: 'You are a weather bot.' },
    { role: 'user', content: 'Weather in San Francisco?' },
  ],
  tools: [
    {
      type: 'function',
      function: {
        name: 'get_weather',
        description: 'Current weather',
        parameters: { type: 'object', properties: { location: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } }, required: ['location'] },
      },
    },
  ],
  tool_choice: 'auto',
};

function newContext(): ProviderCallContext {
  return { signal: new AbortController().signal, requestId: 'req_test', warnings: [] };
}

let server: FixtureServer;
let adapter: ProviderAdapter;

beforeAll(async () => {
  server = await startFixtureServer();
  adapter = createAnthropicAdapter({
    id: 'anthropic',
    type: 'anthropic',
    baseUrl: server.baseUrl,
    apiKey: 'sk-ant-test',
    models: [{ name: 'claude', upstreamName: 'claude-sonnet-4-5-20250929', maxOutputTokens: 2048 }],
  });
});

afterAll(async () => {
  await closeUpstreamClients();
  await server.close();
});

async function failureOf(promise: Promise<unknown>): Promise<UpstreamError> {
  const error: unknown = await promise.then(() => undefined, (caught: unknown) => caught);
  if (!(error instanceof UpstreamError)) throw new Error(`expected an UpstreamError, got ${String(error)}`);
  return error;
}

describe('Anthropic adapter', () => {
  it('sends a Messages request with the Anthropic headers and reads the answer', async () => {
    server.respondWith(jsonFixture(fixture('anthropic-text.json')));
    const completion = await adapter.chat({ model: 'anthropic/claude', messages: [{ role: 'user', content: 'Hi' }] }, 'claude-sonnet-4-5-20250929', newContext());
    const received = server.requests.at(-1);
    expect(received?.method).toBe('POST');
    expect(received?.url).toBe('/v1/messages');
    expect(received?.headers['x-api-key']).toBe('sk-ant-test');
    expect(received?.headers['anthropic-version']).toBe('2023-06-01');
    // The configured model's maxOutputTokens fills in the max_tokens Anthropic requires.
    expect(received?.body).toEqual({ model: 'claude-sonnet-4-5-20250929', max_tokens: 2048, messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }] });
    expect(completion.choices[0]?.message.content).toBe('Hello! How can I help you today?');
    expect(completion.usage?.total_tokens).toBe(22);
  });

  it('round-trips tools: the request carries input_schema, the answer carries tool_calls', async () => {
    server.respondWith(jsonFixture(fixture('anthropic-tool-use.json')));
    const context = newContext();
    const completion = await adapter.chat({ ...weatherRequest, seed: 3 }, 'claude-sonnet-4-5-20250929', context);
    const body = server.requests.at(-1)?.body;
    expect(body).toMatchObject({
      system: 'You are a weather bot.',
      tools: [{ name: 'get_weather', input_schema: { type: 'object', required: ['location'] } }],
      tool_choice: { type: 'auto' },
    });
    expect(body).not.toHaveProperty('seed');
    expect(context.warnings).toEqual([expect.stringContaining('seed')]);
    const call = completion.choices[0]?.message.tool_calls?.[0];
    expect(JSON.parse(call?.function.arguments ?? '')).toEqual({ location: 'San Francisco, CA', unit: 'celsius' });
    expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
    expect(completion.usage?.prompt_tokens_details?.cached_tokens).toBe(2048);
  });

  it('streams tool calls as OpenAI chunks and ends with usage', async () => {
    server.respondWith(eventStreamFixture(fixture('anthropic-tool-use.sse')));
    const chunks: ChatCompletionChunk[] = [];
    const usage: Usage[] = [];
    for await (const part of adapter.streamChat(weatherRequest, 'claude-sonnet-4-5-20250929', newContext())) {
      if (part.type === 'chunk') chunks.push(part.chunk);
      else usage.push(part.usage);
    }
    const received = server.requests.at(-1);
    expect(received?.headers['accept']).toBe('text/event-stream');
    expect(received?.body).toMatchObject({ stream: true, model: 'claude-sonnet-4-5-20250929' });
    const argumentsByIndex = new Map<number, string>();
    for (const chunk of chunks) {
      for (const delta of chunk.choices[0]?.delta.tool_calls ?? []) argumentsByIndex.set(delta.index, (argumentsByIndex.get(delta.index) ?? '') + (delta.function?.arguments ?? ''));
    }
    expect(JSON.parse(argumentsByIndex.get(0) ?? '')).toEqual({ location: 'San Francisco, CA', unit: 'fahrenheit' });
    expect(JSON.parse(argumentsByIndex.get(1) ?? '')).toEqual({});
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('tool_calls');
    expect(usage).toEqual([{ prompt_tokens: 472, completion_tokens: 89, total_tokens: 561, prompt_tokens_details: { cached_tokens: 0 } }]);
  });

  it('keeps the status and message of an overloaded answer, retryable', async () => {
    server.respondWith(jsonFixture(fixture('anthropic-overloaded-error.json'), 529));
    const error = await failureOf(adapter.chat(weatherRequest, 'claude-sonnet-4-5-20250929', newContext()));
    expect(error.status).toBe(529);
    expect(error.message).toBe('anthropic: Overloaded');
    expect(error.code).toBe('overloaded_error');
    expect(error.retryable).toBe(true);
  });

  it('keeps an invalid request error as a 400 that is not retried', async () => {
    server.respondWith(jsonFixture(fixture('anthropic-invalid-request-error.json'), 400));
    const error = await failureOf(adapter.chat({ ...weatherRequest, max_tokens: 100000 }, 'claude-sonnet-4-5-20250929', newContext()));
    expect(error.status).toBe(400);
    expect(error.message).toContain('max_tokens: 100000 > 64000');
    expect(error.retryable).toBe(false);
  });

  it('reports an error event in the stream as an UpstreamError', async () => {
    server.respondWith(eventStreamFixture(fixture('anthropic-overloaded-early.sse')));
    const consume = async (): Promise<void> => {
      for await (const part of adapter.streamChat(weatherRequest, 'claude-sonnet-4-5-20250929', newContext())) void part;
    };
    const error = await failureOf(consume());
    expect(error.status).toBe(529);
    expect(error.afterFirstByte).toBe(false);
  });
});
