// The gateway driven by the official openai SDK over loopback, against local upstreams that
// answer in OpenAI's documented wire format.
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startUpstreamStub, type UpstreamStub } from './support/openai-upstream-stub.js';
import { testDatabaseTargets } from './support/test-databases.js';
import { startTestServer, type TestServer } from './support/test-server.js';

describe.each(testDatabaseTargets())('gateway with the openai SDK on $name', (target) => {
  let primary: UpstreamStub;
  let secondary: UpstreamStub;
  /** Fails on demand; its models have breakers of their own, so the other tests are not affected. */
  let flaky: UpstreamStub;
  let test: TestServer;
  let client: OpenAI;
  let baseUrl: string;

  beforeAll(async () => {
    primary = await startUpstreamStub();
    secondary = await startUpstreamStub({ kind: 'answer', text: 'Secondary answers.' });
    flaky = await startUpstreamStub();
    test = await startTestServer(
      target,
      {
        providers: [
          { id: 'primary', type: 'openai-compatible', baseUrl: primary.baseUrl, models: ['gpt-4o-mini', 'text-embedding-3-small', { name: 'small-window', contextWindow: 50 }] },
          { id: 'secondary', type: 'openai-compatible', baseUrl: secondary.baseUrl, models: ['qwen2.5-7b-instruct'] },
          { id: 'flaky', type: 'openai-compatible', baseUrl: flaky.baseUrl, models: ['limited', 'down-a', 'down-b'] },
        ],
        routes: [
          {
            model: 'chat-default',
            strategy: 'fallback',
            targets: [
              { provider: 'primary', model: 'gpt-4o-mini' },
              { provider: 'secondary', model: 'qwen2.5-7b-instruct' },
            ],
          },
          {
            model: 'all-down',
            targets: [
              { provider: 'flaky', model: 'down-a' },
              { provider: 'flaky', model: 'down-b' },
            ],
          },
        ],
      },
      { maxRetriesPerTarget: 1, initialBackoffMilliseconds: 5, maxBackoffMilliseconds: 20, attemptTimeoutMilliseconds: 1_000, failureThreshold: 3, coolDownMilliseconds: 60_000 },
    );
    baseUrl = await test.listen();
    client = new OpenAI({ baseURL: `${baseUrl}/v1`, apiKey: test.userKey, maxRetries: 0 });
  });

  afterAll(async () => {
    await test.close();
    await primary.close();
    await secondary.close();
    await flaky.close();
  });

  beforeEach(() => {
    primary.setBehaviour({ kind: 'answer' });
    secondary.setBehaviour({ kind: 'answer', text: 'Secondary answers.' });
  });

  it('lists provider models and routes', async () => {
    const models = await client.models.list();
    expect(models.data.map((model) => model.id)).toEqual(
      expect.arrayContaining(['primary/gpt-4o-mini', 'secondary/qwen2.5-7b-instruct', 'chat-default']),
    );
  });

  it('answers a chat completion with usage and a request id', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: 'primary/gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe('Hello from the stub.');
    expect(data.usage?.total_tokens).toBe(17);
    expect(response.headers.get('x-request-id')).toMatch(/^req_/);
    expect(response.headers.get('x-modelmart-target')).toBe('primary/gpt-4o-mini');
    const upstreamBody = primary.received.at(-1)?.body;
    expect(upstreamBody?.model).toBe('gpt-4o-mini');
  });

  it('streams chunks and puts usage in the final chunk', async () => {
    const stream = await client.chat.completions.create({
      model: 'chat-default',
      messages: [{ role: 'user', content: 'Stream please' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe('Hello from the stub.');
    expect(usage?.completion_tokens).toBe(5);
  });

  it('passes tool calls through, streamed and not', async () => {
    primary.setBehaviour({ kind: 'answer', toolCall: { name: 'get_weather', arguments: '{"city":"Hangzhou"}' } });
    const tools: OpenAI.ChatCompletionTool[] = [
      { type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } },
    ];
    const completion = await client.chat.completions.create({ model: 'primary/gpt-4o-mini', messages: [{ role: 'user', content: 'Weather?' }], tools });
    const call = completion.choices[0]?.message.tool_calls?.[0];
    expect(call?.type === 'function' ? call.function : undefined).toEqual({ name: 'get_weather', arguments: '{"city":"Hangzhou"}' });
    expect(completion.choices[0]?.finish_reason).toBe('tool_calls');

    const stream = client.chat.completions.stream({ model: 'primary/gpt-4o-mini', messages: [{ role: 'user', content: 'Weather?' }], tools });
    const final = await stream.finalChatCompletion();
    const streamedCall = final.choices[0]?.message.tool_calls?.[0];
    expect(streamedCall?.type === 'function' ? JSON.parse(streamedCall.function.arguments) : undefined).toEqual({ city: 'Hangzhou' });
  });

  it('creates embeddings as floats and as base64 (the SDK default)', async () => {
    const decoded = await client.embeddings.create({ model: 'primary/text-embedding-3-small', input: ['a', 'b'] });
    expect(decoded.data.map((item) => item.embedding)).toEqual([
      [0.25, -0.5, 0],
      [0.25, -0.5, 1],
    ]);
    const floats = await client.embeddings.create({ model: 'primary/text-embedding-3-small', input: 'a', encoding_format: 'float' });
    expect(floats.data[0]?.embedding).toEqual([0.25, -0.5, 0]);
    expect(floats.usage.prompt_tokens).toBe(4);
  });

  it('raises the SDK error classes for 401, 404, 400, 429 and 503', async () => {
    const stranger = new OpenAI({ baseURL: `${baseUrl}/v1`, apiKey: 'mm-not-a-key', maxRetries: 0 });
    await expect(stranger.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);

    const missing = await client.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] }).catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(OpenAI.NotFoundError);
    expect((missing as InstanceType<typeof OpenAI.NotFoundError>).code).toBe('model_not_found');

    const invalid = await client.chat.completions
      .create({ model: 'primary/gpt-4o-mini', messages: [{ role: 'user', content: 'x' }], temperature: 5 })
      .catch((error: unknown) => error);
    expect(invalid).toBeInstanceOf(OpenAI.BadRequestError);
    expect((invalid as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('temperature');

    flaky.setBehaviour({ kind: 'error', status: 429, retryAfterSeconds: 120, message: 'Rate limit reached for requests' });
    const limited = await client.chat.completions.create({ model: 'flaky/limited', messages: [{ role: 'user', content: 'x' }] }).catch((error: unknown) => error);
    expect(limited).toBeInstanceOf(OpenAI.RateLimitError);
    expect((limited as InstanceType<typeof OpenAI.RateLimitError>).headers.get('retry-after')).toBe('120');

    flaky.setBehaviour({ kind: 'error', status: 503, message: 'upstream down' });
    const down = await client.chat.completions.create({ model: 'all-down', messages: [{ role: 'user', content: 'x' }] }).catch((error: unknown) => error);
    expect(down).toBeInstanceOf(OpenAI.InternalServerError);
    expect((down as InstanceType<typeof OpenAI.APIError>).status).toBe(503);
    expect((down as InstanceType<typeof OpenAI.APIError>).message).toMatch(/flaky\/down-a: .*503.*flaky\/down-b: .*503/s);
  });

  it('refuses bad parameters naming them: messages not an array, a huge n, too long a prompt', async () => {
    const post = (body: unknown) =>
      fetch(`${baseUrl}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${test.userKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const notArray = await post({ model: 'primary/gpt-4o-mini', messages: 'hello' });
    expect(notArray.status).toBe(400);
    expect(((await notArray.json()) as { error: { param: string } }).error.param).toBe('messages');
    const hugeN = await post({ model: 'primary/gpt-4o-mini', messages: [{ role: 'user', content: 'x' }], n: 100000 });
    expect(hugeN.status).toBe(400);
    expect(((await hugeN.json()) as { error: { param: string } }).error.param).toBe('n');
    const tooLong = await post({ model: 'primary/small-window', messages: [{ role: 'user', content: 'word '.repeat(200) }] });
    expect(tooLong.status).toBe(400);
    expect(((await tooLong.json()) as { error: { code: string } }).error.code).toBe('context_length_exceeded');
  });

  it('serves the Responses API: text, previous_response_id, and typed stream events', async () => {
    const first = await client.responses.create({ model: 'primary/gpt-4o-mini', input: 'Remember the word teal.', instructions: 'Be brief.' });
    expect(first.output_text).toBe('Hello from the stub.');
    expect(first.usage?.total_tokens).toBe(17);
    const second = await client.responses.create({ model: 'primary/gpt-4o-mini', input: 'Which word?', previous_response_id: first.id });
    expect(second.status).toBe('completed');
    const upstreamMessages = primary.received.at(-1)?.body.messages as { role: string; content: unknown }[];
    expect(upstreamMessages.map((message) => message.role)).toEqual(['user', 'assistant', 'user']);

    const stream = await client.responses.create({ model: 'primary/gpt-4o-mini', input: 'Stream it', stream: true });
    const types: string[] = [];
    let text = '';
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'response.output_text.delta') text += event.delta;
    }
    expect(text).toBe('Hello from the stub.');
    expect(types[0]).toBe('response.created');
    expect(types.at(-1)).toBe('response.completed');
    expect(types).toContain('response.output_item.added');

    const retrieved = await client.responses.retrieve(first.id);
    expect(retrieved.id).toBe(first.id);
    const unknown = await client.responses.create({ model: 'primary/gpt-4o-mini', input: 'x', previous_response_id: 'resp_unknown' }).catch((error: unknown) => error);
    expect(unknown).toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('cancels the upstream request when the client abandons a stream', async () => {
    primary.setBehaviour({ kind: 'slow-stream', chunkDelayMilliseconds: 30, chunks: 200 });
    const before = primary.abandoned.count;
    const controller = new AbortController();
    const stream = await client.chat.completions.create(
      { model: 'primary/gpt-4o-mini', messages: [{ role: 'user', content: 'long story' }], stream: true },
      { signal: controller.signal },
    );
    let received = 0;
    // The SDK ends the iteration quietly (or throws an abort error) once its signal aborts.
    await (async () => {
      for await (const _chunk of stream) {
        received += 1;
        if (received === 3) controller.abort();
      }
    })().catch(() => undefined);
    expect(received).toBeLessThan(10);
    await expect.poll(() => primary.abandoned.count, { timeout: 3_000 }).toBe(before + 1);
    await expect.poll(() => test.usageEvents.at(-1)?.status, { timeout: 3_000 }).toBe('cancelled');
  });

  it('ends a stream broken mid-way with an error event, never a silent truncation', async () => {
    primary.setBehaviour({ kind: 'break-stream-after', chunks: 2 });
    const stream = await client.chat.completions.create({ model: 'primary/gpt-4o-mini', messages: [{ role: 'user', content: 'x' }], stream: true });
    await expect(
      (async () => {
        for await (const _chunk of stream) {
          // read until the error
        }
      })(),
    ).rejects.toBeInstanceOf(OpenAI.APIError);
  });

  it('falls back when the first target hangs', async () => {
    primary.setBehaviour({ kind: 'hang' });
    const answered = await client.chat.completions.create({ model: 'chat-default', messages: [{ role: 'user', content: 'x' }] });
    expect(answered.choices[0]?.message.content).toBe('Secondary answers.');
  });

  it('keeps answering while its first target is killed mid-run, and its circuit stops traffic to it', async () => {
    // Requests that are not streamed: one in flight on the dying target is retried elsewhere
    // (a stream that already sent bytes cannot be, and ends with an error event instead).
    const answers: string[] = [];
    let killed = false;
    const worker = async (): Promise<void> => {
      for (let index = 0; index < 12; index += 1) {
        const completion = await client.chat.completions.create({ model: 'chat-default', messages: [{ role: 'user', content: `x${index}` }] });
        answers.push(completion.choices[0]?.message.content ?? '');
        if (answers.length === 10 && !killed) {
          killed = true;
          await primary.close();
        }
      }
    };
    await Promise.all([worker(), worker(), worker()]);
    expect(answers).toHaveLength(36);
    expect(answers.filter((text) => text === 'Secondary answers.').length).toBeGreaterThan(10);
    const health = await fetch(`${baseUrl}/admin/v1/providers/health`, { headers: { authorization: `Bearer ${test.adminKey}` } });
    const snapshot = (await health.json()) as { data: { target: string; state: string }[] };
    expect(snapshot.data.find((entry) => entry.target === 'primary/gpt-4o-mini')?.state).toBe('open');
    const callsWhenOpen = primary.received.length;
    const started = performance.now();
    await client.chat.completions.create({ model: 'chat-default', messages: [{ role: 'user', content: 'fast' }] });
    expect(performance.now() - started).toBeLessThan(500);
    expect(primary.received.length).toBe(callsWhenOpen);
  });
});
