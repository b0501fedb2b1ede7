import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatCompletionChunk, ChatCompletionRequest, Usage } from '../../api/index.js';
import { eventStreamFixture, jsonFixture, readFixture, startFixtureServer, type FixtureServer } from '../anthropic/__fixtures__/fixture-server.js';
import { closeUpstreamClients } from '../http/index.js';
import type { ProviderAdapter, ProviderCallContext } from '../provider-contract.js';
import { UpstreamError } from '../provider-errors.js';
import { createGeminiAdapter } from './index.js';

const fixture = (name: string): string => readFixture(new URL(import.meta.url), name);

const weatherRequest: ChatCompletionRequest = {
  model: 'gemini/flash',
  messages: [
    { role: 'system', content: 'You are a weather bot.' },
    { role: 'user', content: 'Weather and time in Paris?' },
  ],
  tools: [
    {
      type: 'function',
      function: {
        name: 'get_weather',
        parameters: { type: 'object', additionalProperties: false, properties: { location: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } }, required: ['location'] },
      },
    },
    { type: 'function', function: { name: 'get_time', parameters: { type: 'object', properties: {} } } },
  ],
  tool_choice: 'required',
};

function newContext(): ProviderCallContext {
  return { signal: new AbortController().signal, requestId: 'req_test', warnings: [] };
}

let server: FixtureServer;
let adapter: ProviderAdapter;

beforeAll(async () => {
  server = await startFixtureServer();
  adapter = createGeminiAdapter({ id: 'gemini', type: 'gemini', baseUrl: server.baseUrl, apiKey: 'AIza-test', models: [] });
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

describe('Gemini adapter', () => {
  it('calls generateContent with the API key header and reads the answer', async () => {
    server.respondWith(jsonFixture(fixture('gemini-text.json')));
    const completion = await adapter.chat({ model: 'gemini/flash', messages: [{ role: 'user', content: 'Capital of France?' }], temperature: 0.3 }, 'gemini-2.5-flash', newContext());
    const received = server.requests.at(-1);
    expect(received?.url).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
    expect(received?.headers['x-goog-api-key']).toBe('AIza-test');
    expect(received?.body).toEqual({ contents: [{ role: 'user', parts: [{ text: 'Capital of France?' }] }], generationConfig: { temperature: 0.3 } });
    expect(completion.choices[0]?.message.content).toBe('The capital of France is Paris.');
    expect(completion.usage?.prompt_tokens_details?.cached_tokens).toBe(1024);
  });

  it('round-trips tools: declarations out, calls back, results matched by name with their signature', async () => {
    server.respondWith(jsonFixture(fixture('gemini-function-call.json')));
    const first = await adapter.chat(weatherRequest, 'gemini-3-pro-preview', newContext());
    expect(server.requests.at(-1)?.body).toMatchObject({
      systemInstruction: { parts: [{ text: 'You are a weather bot.' }] },
      tools: [{ functionDeclarations: [{ name: 'get_weather', parameters: { type: 'object', required: ['location'] } }, { name: 'get_time' }] }],
      toolConfig: { functionCallingConfig: { mode: 'ANY' } },
    });
    expect(JSON.stringify(server.requests.at(-1)?.body)).not.toContain('additionalProperties');
    const calls = first.choices[0]?.message.tool_calls ?? [];
    expect(calls).toHaveLength(2);

    server.respondWith(jsonFixture(fixture('gemini-text.json')));
    await adapter.chat(
      {
        ...weatherRequest,
        messages: [
          ...weatherRequest.messages,
          { role: 'assistant', content: null, tool_calls: calls },
          { role: 'tool', tool_call_id: calls[0]?.id ?? '', content: '{"celsius":21}' },
          { role: 'tool', tool_call_id: calls[1]?.id ?? '', content: '14:05' },
        ],
      },
      'gemini-3-pro-preview',
      newContext(),
    );
    const contents = (server.requests.at(-1)?.body as { contents: unknown[] }).contents;
    expect(contents.slice(1)).toEqual([
      {
        role: 'model',
        parts: [
          { functionCall: { name: 'get_weather', args: { location: 'Paris', unit: 'celsius' } }, thoughtSignature: 'CiIBVKhc7oDPpnUNpb+Cg/xYbd3uBPxRYX8Cjg2k0Y3Ewi0f' },
          { functionCall: { name: 'get_time', args: {} } },
        ],
      },
      {
        role: 'user',
        parts: [
          { functionResponse: { name: 'get_weather', response: { celsius: 21 } } },
          { functionResponse: { name: 'get_time', response: { output: '14:05' } } },
        ],
      },
    ]);
  });

  it('streams with alt=sse and yields chunks, tool calls and usage', async () => {
    server.respondWith(eventStreamFixture(fixture('gemini-function-call.sse')));
    const chunks: ChatCompletionChunk[] = [];
    const usage: Usage[] = [];
    for await (const part of adapter.streamChat(weatherRequest, 'gemini-3-pro-preview', newContext())) {
      if (part.type === 'chunk') chunks.push(part.chunk);
      else usage.push(part.usage);
    }
    expect(server.requests.at(-1)?.url).toBe('/v1beta/models/gemini-3-pro-preview:streamGenerateContent?alt=sse');
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe('Let me check both.');
    const toolCalls = chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []);
    expect(toolCalls.map((call) => JSON.parse(call.function?.arguments ?? ''))).toEqual([{ location: 'Paris', unit: 'celsius' }, {}]);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('tool_calls');
    expect(usage).toEqual([expect.objectContaining({ prompt_tokens: 98, completion_tokens: 31, total_tokens: 129 })]);
  });

  it('keeps the status and message of Gemini errors', async () => {
    server.respondWith(jsonFixture(fixture('gemini-rate-limit-error.json'), 429));
    const limited = await failureOf(adapter.chat(weatherRequest, 'gemini-2.5-flash', newContext()));
    expect(limited).toMatchObject({ status: 429, code: 'resource_exhausted', retryable: true });
    expect(limited.message).toContain('You exceeded your current quota');

    server.respondWith(jsonFixture(fixture('gemini-invalid-argument-error.json'), 400));
    const invalid = await failureOf(adapter.chat(weatherRequest, 'gemini-2.5-flash', newContext()));
    expect(invalid).toMatchObject({ status: 400, code: 'invalid_argument', retryable: false });
    expect(invalid.message).toContain('Unknown name');
  });
});
