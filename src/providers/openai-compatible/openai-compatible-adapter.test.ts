import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChatCompletionRequest } from '../../api/index.js';
import { providerSchema, type ProviderConfig } from '../../config/config-schema.js';
import { closedPort, delay, startLocalUpstreamServer, type LocalUpstreamServer, type RecordedRequest } from '../http/__fixtures__/local-upstream-server.js';
import { closeUpstreamClients } from '../http/index.js';
import type { ProviderCallContext, StreamPart } from '../provider-contract.js';
import { UpstreamError } from '../provider-errors.js';
import { createOpenAiCompatibleAdapter } from './index.js';

function fixture(name: string): string {
  return readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
}

let server: LocalUpstreamServer;
beforeAll(async () => {
  server = await startLocalUpstreamServer();
});
afterEach(() => {
  server.requests.length = 0;
});
afterAll(async () => {
  await closeUpstreamClients();
  await server.close();
});

function provider(overrides: Record<string, unknown> = {}): ProviderConfig {
  return providerSchema.parse({ id: 'upstream', type: 'openai-compatible', baseUrl: `${server.origin}/v1`, apiKey: 'sk-test', ...overrides });
}

function context(signal: AbortSignal = new AbortController().signal): ProviderCallContext {
  return { signal, requestId: 'req-1', warnings: [] };
}

function chatRequest(overrides: Partial<ChatCompletionRequest> = {}): ChatCompletionRequest {
  return { model: 'upstream/gpt-4o-mini', messages: [{ role: 'user', content: 'What is the capital of France?' }], ...overrides };
}

function answerJson(status: number, body: string, headers: Record<string, string> = {}) {
  return (_request: RecordedRequest, response: ServerResponse): void => {
    response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(body);
  };
}

/** Replays an SSE fixture event by event, with a pause between, as a real upstream would. */
function answerEvents(text: string, options: { readonly stopAfter?: number; readonly reset?: boolean } = {}) {
  return async (_request: RecordedRequest, response: ServerResponse): Promise<void> => {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    const events = text.split(/(?<=\n\n)/);
    const count = options.stopAfter ?? events.length;
    for (const event of events.slice(0, count)) {
      response.write(event);
      await delay(2);
    }
    if (options.reset === true) response.socket?.destroy();
    else response.end();
  };
}

async function collect(parts: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const collected: StreamPart[] = [];
  for await (const part of parts) collected.push(part);
  return collected;
}

async function failure(promise: Promise<unknown>): Promise<UpstreamError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(UpstreamError);
  return error as UpstreamError;
}

describe('chat', () => {
  it('sends the upstream model name and key, and returns the completion', async () => {
    server.handle(answerJson(200, fixture('chat-completion.json')));
    const completion = await createOpenAiCompatibleAdapter(provider()).chat(chatRequest({ temperature: 0.2, stream_options: null }), 'gpt-4o-mini', context());
    expect(completion).toEqual(JSON.parse(fixture('chat-completion.json')));
    const [seen] = server.requests;
    expect(seen?.url).toBe('/v1/chat/completions');
    expect(seen?.headers['authorization']).toBe('Bearer sk-test');
    expect(seen?.body).toEqual({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'What is the capital of France?' }], temperature: 0.2 });
  });

  it('returns tool calls', async () => {
    server.handle(answerJson(200, fixture('chat-completion-tool-calls.json')));
    const completion = await createOpenAiCompatibleAdapter(provider()).chat(chatRequest(), 'gpt-4o-mini', context());
    expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
    expect(completion.choices[0]?.message.tool_calls?.[0]?.function).toEqual({ name: 'get_weather', arguments: '{"city":"Hangzhou","unit":"celsius"}' });
    expect(completion.usage?.prompt_tokens_details?.cached_tokens).toBe(64);
  });

  it('fills what minimal servers leave out and maps vendor finish reasons', async () => {
    server.handle(answerJson(200, JSON.stringify({ choices: [{ message: { content: 'hi' }, finish_reason: 'eos' }], usage: { prompt_tokens: 3, completion_tokens: 1 } })));
    const completion = await createOpenAiCompatibleAdapter(provider()).chat(chatRequest(), 'local-model', context());
    expect(completion).toMatchObject({ object: 'chat.completion', model: 'local-model', choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }] });
    expect(completion.usage).toEqual({ prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 });
  });

  it('rejects a body that is not a chat completion as an invalid response', async () => {
    server.handle(answerJson(200, '{"result":"ok"}'));
    const error = await failure(createOpenAiCompatibleAdapter(provider()).chat(chatRequest(), 'm', context()));
    expect(error.status).toBe(502);
    expect(error.code).toBe('upstream_invalid_response');
  });
});

describe('streamChat', () => {
  it('asks for usage, yields each chunk, then the usage, and stops at [DONE]', async () => {
    server.handle(answerEvents(fixture('chat-stream-text.sse')));
    const parts = await collect(createOpenAiCompatibleAdapter(provider()).streamChat(chatRequest({ stream: true }), 'gpt-4o-mini', context()));
    expect(server.requests[0]?.body).toMatchObject({ model: 'gpt-4o-mini', stream: true, stream_options: { include_usage: true } });
    expect(server.requests[0]?.headers['accept']).toBe('text/event-stream');
    const chunks = parts.flatMap((part) => (part.type === 'chunk' ? [part.chunk] : []));
    expect(chunks).toHaveLength(5);
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe('Paris is the capital of France.');
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
    expect(parts.at(-1)).toEqual({ type: 'usage', usage: expect.objectContaining({ prompt_tokens: 24, completion_tokens: 8, total_tokens: 32 }) });
  });

  it('passes unchanged chunks on as the upstream text, and re-encodes the ones it had to change', async () => {
    server.handle(
      answerEvents(
        'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]}\n\n' +
          'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"eos"}]}\n\n' +
          'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m",\ndata: "choices":[{"index":0,"delta":{"content":"!"},"finish_reason":null}]}\n\n' +
          'data: [DONE]\n\n',
      ),
    );
    const parts = await collect(createOpenAiCompatibleAdapter(provider()).streamChat(chatRequest({ stream: true }), 'm', context()));
    const chunks = parts.flatMap((part) => (part.type === 'chunk' ? [part] : []));
    expect(chunks[0]?.encoded).toBe('{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]}');
    expect(JSON.parse(chunks[0]?.encoded ?? '')).toEqual(chunks[0]?.chunk);
    // A vendor finish reason was mapped, and a chunk spread over two data lines holds a newline.
    expect(chunks[1]?.encoded).toBeUndefined();
    expect(chunks[1]?.chunk.choices[0]?.finish_reason).toBe('stop');
    expect(chunks[2]?.encoded).toBeUndefined();
  });

  it('streams tool-call arguments in pieces', async () => {
    server.handle(answerEvents(fixture('chat-stream-tool-calls.sse')));
    const parts = await collect(createOpenAiCompatibleAdapter(provider()).streamChat(chatRequest({ stream: true }), 'gpt-4o-mini', context()));
    let argumentsText = '';
    for (const part of parts) if (part.type === 'chunk') argumentsText += part.chunk.choices[0]?.delta.tool_calls?.[0]?.function?.arguments ?? '';
    expect(argumentsText).toBe('{"city":"Hangzhou"}');
    expect(parts.at(-1)).toMatchObject({ type: 'usage', usage: { prompt_tokens: 81, completion_tokens: 17, prompt_tokens_details: { cached_tokens: 64 } } });
  });

  it('finds usage where Moonshot and Groq put it', async () => {
    server.handle(answerEvents(fixture('moonshot-chat-stream-usage-in-choice.sse')));
    const moonshot = await collect(createOpenAiCompatibleAdapter(provider({ preset: 'moonshot' })).streamChat(chatRequest(), 'moonshot-v1-8k', context()));
    expect(server.requests[0]?.body).not.toHaveProperty('stream_options');
    expect(moonshot.at(-1)).toEqual({ type: 'usage', usage: { prompt_tokens: 19, completion_tokens: 2, total_tokens: 21, prompt_tokens_details: { cached_tokens: 16 } } });

    server.handle(answerEvents(fixture('groq-chat-stream-x-groq-usage.sse')));
    const groq = await collect(createOpenAiCompatibleAdapter(provider({ preset: 'groq' })).streamChat(chatRequest(), 'llama-3.3-70b-versatile', context()));
    expect(groq.at(-1)).toEqual({ type: 'usage', usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 } });
  });

  it('turns an error event in the stream into an UpstreamError after the first byte', async () => {
    const events = fixture('chat-stream-text.sse').split(/(?<=\n\n)/);
    server.handle(answerEvents(`${events[0] ?? ''}${events[1] ?? ''}data: {"error":{"message":"The model produced invalid content.","type":"server_error","code":"invalid_content"}}\n\n`));
    const error = await failure(collect(createOpenAiCompatibleAdapter(provider()).streamChat(chatRequest(), 'gpt-4o-mini', context())));
    expect(error.message).toBe('upstream: The model produced invalid content.');
    expect(error.code).toBe('invalid_content');
    expect(error.afterFirstByte).toBe(true);
  });

  it('reports a stream truncated before [DONE] as interrupted after the first byte', async () => {
    server.handle(answerEvents(fixture('chat-stream-text.sse'), { stopAfter: 3 }));
    const seen: StreamPart[] = [];
    const error = await failure(
      (async () => {
        for await (const part of createOpenAiCompatibleAdapter(provider()).streamChat(chatRequest(), 'gpt-4o-mini', context())) seen.push(part);
      })(),
    );
    expect(seen).toHaveLength(3);
    expect(error.code).toBe('upstream_stream_interrupted');
    expect(error.afterFirstByte).toBe(true);
    expect(error.retryable).toBe(false);
  });

  it('reports a connection reset mid-stream as interrupted', async () => {
    server.handle(answerEvents(fixture('chat-stream-text.sse'), { stopAfter: 2, reset: true }));
    const error = await failure(collect(createOpenAiCompatibleAdapter(provider()).streamChat(chatRequest(), 'gpt-4o-mini', context())));
    expect(error.status).toBe(502);
    expect(error.afterFirstByte).toBe(true);
  });

  it('cancels the upstream request when the signal aborts', async () => {
    server.handle(async (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(fixture('chat-stream-text.sse').split(/(?<=\n\n)/)[1] ?? '');
      await delay(10_000);
    });
    const controller = new AbortController();
    const consuming = (async () => {
      for await (const part of createOpenAiCompatibleAdapter(provider()).streamChat(chatRequest(), 'gpt-4o-mini', context(controller.signal))) {
        expect(part.type).toBe('chunk');
        controller.abort();
      }
    })();
    await expect(consuming).rejects.toMatchObject({ name: 'AbortError' });
    expect(await server.requests[0]?.closed).toEqual({ finished: false });
  });
});

describe('upstream failures', () => {
  it('keeps the message and code of a 400', async () => {
    server.handle(answerJson(400, fixture('error-400-invalid-request.json')));
    const error = await failure(createOpenAiCompatibleAdapter(provider()).chat(chatRequest(), 'gpt-4o-mini', context()));
    expect(error.status).toBe(400);
    expect(error.message).toBe("upstream: Invalid value for 'temperature': decimal above maximum value. Expected a value <= 2, but got 3 instead.");
    expect(error.code).toBe('decimal_above_max_value');
    expect(error.retryable).toBe(false);
  });

  it('keeps a 401 from the upstream, also for streams', async () => {
    server.handle(answerJson(401, fixture('error-401-invalid-api-key.json')));
    const error = await failure(collect(createOpenAiCompatibleAdapter(provider()).streamChat(chatRequest(), 'gpt-4o-mini', context())));
    expect(error.status).toBe(401);
    expect(error.code).toBe('invalid_api_key');
  });

  it('passes retry-after of a 429 on, and is retryable with or without it', async () => {
    server.handle(answerJson(429, fixture('error-429-rate-limit.json'), { 'retry-after': '20' }));
    const limited = await failure(createOpenAiCompatibleAdapter(provider()).chat(chatRequest(), 'gpt-4o-mini', context()));
    expect(limited).toMatchObject({ status: 429, code: 'rate_limit_exceeded', retryAfterMilliseconds: 20_000, retryable: true, type: 'rate_limit_error' });
    expect(limited.headers['retry-after']).toBe('20');

    server.handle(answerJson(429, fixture('error-429-rate-limit.json')));
    const withoutHint = await failure(createOpenAiCompatibleAdapter(provider()).chat(chatRequest(), 'gpt-4o-mini', context()));
    expect(withoutHint).toMatchObject({ status: 429, retryAfterMilliseconds: undefined, retryable: true });
    expect(withoutHint.headers).toEqual({});
  });

  it.each([
    [500, 'error-500-server.json', 'The server had an error while processing your request. Sorry about that!'],
    [502, undefined, 'upstream answered HTTP 502: <html><body>Bad gateway</body></html>'],
    [503, 'error-503-overloaded.json', 'The engine is currently overloaded, please try again later.'],
  ])('keeps a %i and marks it retryable', async (status, fixtureName, message) => {
    server.handle(answerJson(status, fixtureName === undefined ? '<html><body>Bad gateway</body></html>' : fixture(fixtureName)));
    const error = await failure(createOpenAiCompatibleAdapter(provider()).chat(chatRequest(), 'gpt-4o-mini', context()));
    expect(error.status).toBe(status);
    expect(error.message).toBe(`upstream: ${message}`);
    expect(error.retryable).toBe(true);
  });

  it('reports a closed port as 502 upstream_unreachable', async () => {
    const port = await closedPort();
    const error = await failure(createOpenAiCompatibleAdapter(provider({ baseUrl: `http://127.0.0.1:${port}/v1` })).chat(chatRequest(), 'gpt-4o-mini', context()));
    expect(error).toMatchObject({ status: 502, code: 'upstream_unreachable', retryable: true });
  });

  it('reports a body that is not JSON as 502 upstream_invalid_response', async () => {
    server.handle(answerJson(200, '{"id": "chatcmpl-1", "choices": ['));
    const error = await failure(createOpenAiCompatibleAdapter(provider()).chat(chatRequest(), 'gpt-4o-mini', context()));
    expect(error).toMatchObject({ status: 502, code: 'upstream_invalid_response' });
  });

  it('times out an upstream that hangs, and closes its socket', async () => {
    server.handle(() => undefined);
    const error = await failure(createOpenAiCompatibleAdapter(provider({ timeoutMs: 200 })).chat(chatRequest(), 'gpt-4o-mini', context()));
    expect(error).toMatchObject({ status: 504, code: 'upstream_timeout', retryable: true });
    expect(await server.requests[0]?.closed).toEqual({ finished: false });
  });
});

describe('embeddings and legacy completions', () => {
  it('embeds, always asking the upstream for floats', async () => {
    server.handle(answerJson(200, fixture('embeddings.json')));
    const result = await createOpenAiCompatibleAdapter(provider()).embed?.({ input: ['first', 'second'], encoding_format: 'base64', dimensions: 4 }, 'text-embedding-3-small', context());
    expect(server.requests[0]?.url).toBe('/v1/embeddings');
    expect(server.requests[0]?.body).toEqual({ model: 'text-embedding-3-small', input: ['first', 'second'], dimensions: 4 });
    expect(result?.data.map((item) => item.index)).toEqual([0, 1]);
    expect(result?.data[1]?.embedding[0]).toBeCloseTo(-0.012051274);
    expect(result?.usage).toEqual({ prompt_tokens: 9, total_tokens: 9 });
  });

  it('passes legacy completions through', async () => {
    server.handle(answerJson(200, fixture('completion.json')));
    const warnings: string[] = [];
    const result = await createOpenAiCompatibleAdapter(provider()).complete?.({ prompt: 'Say this is a test', max_tokens: 7, stream: true }, 'gpt-3.5-turbo-instruct', { ...context(), warnings });
    expect(server.requests[0]?.url).toBe('/v1/completions');
    expect(server.requests[0]?.body).toEqual({ model: 'gpt-3.5-turbo-instruct', prompt: 'Say this is a test', max_tokens: 7 });
    expect(result).toMatchObject({ object: 'text_completion', choices: [{ text: '\n\nThis is indeed a test.' }] });
    expect(warnings).toHaveLength(1);
  });

  it('has no embed or complete where the vendor has no such endpoint', () => {
    const deepseek = createOpenAiCompatibleAdapter(provider({ preset: 'deepseek' }));
    expect(deepseek.embed).toBeUndefined();
    expect(deepseek.complete).toBeUndefined();
  });
});

describe('presets', () => {
  it('uses the preset base URL unless the provider sets its own', () => {
    expect(createOpenAiCompatibleAdapter(providerSchema.parse({ id: 'ds', type: 'openai-compatible', preset: 'deepseek' })).baseUrl).toBe('https://api.deepseek.com/v1');
    expect(createOpenAiCompatibleAdapter(provider({ preset: 'deepseek', baseUrl: 'http://127.0.0.1:9/v1/' })).baseUrl).toBe('http://127.0.0.1:9/v1');
  });

  it('refuses an unknown preset or a missing base URL with a clear message', () => {
    expect(() => createOpenAiCompatibleAdapter(provider({ preset: 'opneai' }))).toThrow(/unknown preset "opneai"; known presets: openai, xai/);
    expect(() => createOpenAiCompatibleAdapter(providerSchema.parse({ id: 'x', type: 'openai-compatible' }))).toThrow(/set baseUrl/);
  });

  it('drops and adapts parameters a vendor refuses, with warnings, and the upstream sees only what it knows', async () => {
    server.handle(answerJson(200, fixture('chat-completion.json')));
    const call = context();
    await createOpenAiCompatibleAdapter(provider({ preset: 'mistral', headers: { 'X-Team': 'search' } })).chat(
      chatRequest({ seed: 7, user: 'user-1', logprobs: true, max_completion_tokens: 64, tool_choice: 'required', messages: [{ role: 'user', content: 'hi', name: 'ann' }] }),
      'mistral-small-latest',
      call,
    );
    const [seen] = server.requests;
    expect(seen?.headers['x-team']).toBe('search');
    expect(seen?.body).toEqual({ model: 'mistral-small-latest', messages: [{ role: 'user', content: 'hi' }], random_seed: 7, max_tokens: 64, tool_choice: 'any' });
    expect(call.warnings).toEqual([
      "upstream (mistral) does not accept 'name' on messages; the names were not sent.",
      "upstream (mistral) does not support 'user'; it was not sent.",
      "upstream (mistral) does not support 'logprobs'; it was not sent.",
    ]);
  });
});
