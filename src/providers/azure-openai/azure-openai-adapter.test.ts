import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatCompletionChunk, ChatCompletionRequest, Usage } from '../../api/index.js';
import { eventStreamFixture, jsonFixture, readFixture, startFixtureServer, type FixtureServer } from '../anthropic/__fixtures__/fixture-server.js';
import { closeUpstreamClients } from '../http/index.js';
import type { ProviderAdapter, ProviderCallContext } from '../provider-contract.js';
import { UpstreamError } from '../provider-errors.js';
import { createAzureOpenAiAdapter } from './index.js';

const fixture = (name: string): string => readFixture(new URL(import.meta.url), name);

const weatherRequest: ChatCompletionRequest = {
  model: 'azure/gpt-4o',
  messages: [
    { role: 'developer', content: 'You are a weather bot.' },
    { role: 'user', content: 'Weather in Seattle?' },
  ],
  tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] } } }],
};

function newContext(): ProviderCallContext {
  return { signal: new AbortController().signal, requestId: 'req_test', warnings: [] };
}

let server: FixtureServer;
let adapter: ProviderAdapter;

beforeAll(async () => {
  server = await startFixtureServer();
  adapter = createAzureOpenAiAdapter({ id: 'azure', type: 'azure-openai', baseUrl: server.baseUrl, apiKey: 'azure-key', apiVersion: '2024-10-21', models: [] });
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

async function drain(stream: AsyncIterable<{ type: 'chunk'; chunk: ChatCompletionChunk } | { type: 'usage'; usage: Usage }>) {
  const chunks: ChatCompletionChunk[] = [];
  const usage: Usage[] = [];
  for await (const part of stream) {
    if (part.type === 'chunk') chunks.push(part.chunk);
    else usage.push(part.usage);
  }
  return { chunks, usage };
}

describe('Azure OpenAI adapter', () => {
  it('posts to the deployment with api-key and api-version, without the public model name', async () => {
    server.respondWith(jsonFixture(fixture('azure-chat.json')));
    const completion = await adapter.chat({ model: 'azure/gpt-4o', messages: [{ role: 'user', content: 'Hi' }], stream_options: { include_usage: true } }, 'gpt-4o-prod', newContext());
    const received = server.requests.at(-1);
    expect(received?.url).toBe('/openai/deployments/gpt-4o-prod/chat/completions?api-version=2024-10-21');
    expect(received?.headers['api-key']).toBe('azure-key');
    expect(received?.body).toEqual({ messages: [{ role: 'user', content: 'Hi' }] });
    expect(completion.choices[0]?.message.content).toBe('Hello! How can I assist you today?');
    expect(completion.usage?.total_tokens).toBe(29);
  });

  it('round-trips tools and sends developer messages as system messages', async () => {
    server.respondWith(jsonFixture(fixture('azure-tool-calls.json')));
    const completion = await adapter.chat(weatherRequest, 'gpt-4o-prod', newContext());
    expect(server.requests.at(-1)?.body).toMatchObject({ messages: [{ role: 'system', content: 'You are a weather bot.' }, { role: 'user' }], tools: weatherRequest.tools });
    expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
    expect(JSON.parse(completion.choices[0]?.message.tool_calls?.[0]?.function.arguments ?? '')).toEqual({ location: 'Seattle, WA' });
  });

  it('streams text, skipping the prompt-filter chunk, and ends with usage', async () => {
    server.respondWith(eventStreamFixture(fixture('azure-chat.sse')));
    const { chunks, usage } = await drain(adapter.streamChat({ model: 'azure/gpt-4o', messages: [{ role: 'user', content: 'Hi' }] }, 'gpt-4o-prod', newContext()));
    expect(server.requests.at(-1)?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
    expect(chunks.every((chunk) => chunk.id === 'chatcmpl-AzQAz7Yf3Kc1nW8e2Rt5hV9bJ4mQ' && !('usage' in chunk))).toBe(true);
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe('Hello from Azure!');
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
    expect(usage).toEqual([{ completion_tokens: 4, prompt_tokens: 19, total_tokens: 23, prompt_tokens_details: { cached_tokens: 0 } }]);
  });

  it('streams tool-call fragments that reassemble into JSON', async () => {
    server.respondWith(eventStreamFixture(fixture('azure-tool-calls.sse')));
    const { chunks, usage } = await drain(adapter.streamChat(weatherRequest, 'gpt-4o-prod', newContext()));
    const fragments = chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []);
    expect(fragments[0]).toMatchObject({ index: 0, id: 'call_Q4pZ8xN2vL6kT1mR9cW3bH7j', function: { name: 'get_weather' } });
    expect(JSON.parse(fragments.map((fragment) => fragment.function?.arguments ?? '').join(''))).toEqual({ location: 'Seattle, WA' });
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('tool_calls');
    expect(usage[0]?.total_tokens).toBe(99);
  });

  it('reports a stream cut off before [DONE] as interrupted', async () => {
    const cut = fixture('azure-chat.sse').replace('data: [DONE]\n\n', '');
    server.respondWith(eventStreamFixture(cut));
    const error = await failureOf(drain(adapter.streamChat({ model: 'azure/gpt-4o', messages: [{ role: 'user', content: 'Hi' }] }, 'gpt-4o-prod', newContext())));
    expect(error).toMatchObject({ status: 502, afterFirstByte: true });
  });

  it('embeds through the embeddings deployment', async () => {
    server.respondWith(jsonFixture(fixture('azure-embeddings.json')));
    const result = await adapter.embed?.({ input: ['first', 'second'], encoding_format: 'base64', dimensions: 3 }, 'embedding-small', newContext());
    expect(server.requests.at(-1)?.url).toBe('/openai/deployments/embedding-small/embeddings?api-version=2024-10-21');
    expect(server.requests.at(-1)?.body).toEqual({ input: ['first', 'second'], dimensions: 3 });
    expect(result?.data.map((item) => item.index)).toEqual([0, 1]);
    expect(result?.data[0]?.embedding).toHaveLength(3);
    expect(result?.usage).toEqual({ prompt_tokens: 9, total_tokens: 9 });
  });

  it('keeps content-filter and rate-limit errors with their status, code and retry-after', async () => {
    server.respondWith(jsonFixture(fixture('azure-content-filter-error.json'), 400));
    const filtered = await failureOf(adapter.chat(weatherRequest, 'gpt-4o-prod', newContext()));
    expect(filtered).toMatchObject({ status: 400, code: 'content_filter', retryable: false });
    expect(filtered.message).toContain('content management policy');

    server.respondWith(jsonFixture(fixture('azure-rate-limit-error.json'), 429, { 'retry-after': '6' }));
    const limited = await failureOf(adapter.chat(weatherRequest, 'gpt-4o-prod', newContext()));
    expect(limited).toMatchObject({ status: 429, retryable: true, retryAfterMilliseconds: 6000 });
    expect(limited.message).toContain('Please retry after 6 seconds');
  });

  it('refuses a configuration without a baseUrl', () => {
    expect(() => createAzureOpenAiAdapter({ id: 'azure', type: 'azure-openai', models: [] })).toThrow(/baseUrl/);
  });
});
