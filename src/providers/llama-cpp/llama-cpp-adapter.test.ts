// The adapter on a real (tiny, random) GGUF model written by the test: chat, streaming, abort,
// the per-model queue, embeddings and a missing file. Generated tokens are kept few.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatCompletionRequest } from '../../api/index.js';
import type { ProviderConfig } from '../../config/index.js';
import { writeTinyGguf } from '../../../test/support/tiny-gguf-writer.js';
import type { ProviderAdapter, ProviderCallContext, StreamPart } from '../provider-contract.js';
import { UpstreamError } from '../provider-errors.js';
import { createLlamaCppAdapter } from './index.js';

function callContext(signal: AbortSignal = new AbortController().signal): ProviderCallContext {
  return { signal, requestId: 'req_test', warnings: [] };
}

function chatRequest(overrides: Partial<ChatCompletionRequest> = {}): ChatCompletionRequest {
  return { model: 'local/tiny', messages: [{ role: 'user', content: 'Hello' }], max_tokens: 8, temperature: 0, ...overrides };
}

async function collect(parts: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const collected: StreamPart[] = [];
  for await (const part of parts) collected.push(part);
  return collected;
}

function streamedText(parts: readonly StreamPart[]): string {
  return parts.map((part) => (part.type === 'chunk' ? (part.chunk.choices[0]?.delta.content ?? '') : '')).join('');
}

describe('llama-cpp adapter', () => {
  let directory: string;
  let adapter: ProviderAdapter;
  let embeddingLength: number;
  const missingPath = join(tmpdir(), 'modelmart-no-such-dir', 'missing-model.gguf');

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'llama-cpp-adapter-'));
    const model = await writeTinyGguf(join(directory, 'tiny.gguf'));
    embeddingLength = model.embeddingLength;
    const config: ProviderConfig = {
      id: 'local',
      type: 'llama-cpp',
      threads: 1,
      maxConcurrentSequences: 1,
      models: [
        { name: 'tiny', file: model.filePath, contextWindow: 256 },
        { name: 'tiny-embedding', file: model.filePath, embedding: true, contextWindow: 256 },
        { name: 'missing', file: missingPath },
      ],
    };
    adapter = createLlamaCppAdapter(config, { dataDir: directory, environment: {} });
  });

  afterAll(async () => {
    await adapter.close?.();
    await rm(directory, { recursive: true, force: true });
  });

  it('answers a chat request with text, a finish reason and the engine\'s token counts', async () => {
    const completion = await adapter.chat(chatRequest(), 'tiny', callContext());
    expect(completion.object).toBe('chat.completion');
    expect(completion.model).toBe('tiny');
    const choice = completion.choices[0];
    expect(choice?.message.role).toBe('assistant');
    expect(choice?.message.content?.length).toBeGreaterThan(0);
    expect(choice?.finish_reason).toBe('length');
    // The model's ChatML template, token by token: BOS, <|im_start|>, "user\nHello" as 10 byte
    // tokens, <|im_end|>, "\n", <|im_start|>, "assistant\n" as 10 byte tokens.
    expect(completion.usage).toEqual({ prompt_tokens: 25, completion_tokens: 8, total_tokens: 33 });
  });

  it('drops what it cannot honour and says so in the warnings', async () => {
    const context = callContext();
    await adapter.chat(
      chatRequest({ n: 2, logprobs: true, tools: [{ type: 'function', function: { name: 'lookup' } }], max_tokens: 2 }),
      'tiny',
      context,
    );
    expect(context.warnings.join('\n')).toMatch(/n=2 was dropped[\s\S]*logprobs[\s\S]*tools were dropped/);
  });

  it('streams chunks, the finish reason and then usage, with the same text as a plain answer', async () => {
    const request = chatRequest({ max_tokens: 12 });
    const plain = await adapter.chat(request, 'tiny', callContext());
    const parts = await collect(adapter.streamChat(request, 'tiny', callContext()));
    const chunks = parts.filter((part) => part.type === 'chunk');
    expect(chunks[0]?.type === 'chunk' && chunks[0].chunk.choices[0]?.delta.role).toBe('assistant');
    expect(chunks.length).toBeGreaterThan(3);
    const last = parts.at(-1);
    expect(last).toEqual({ type: 'usage', usage: { prompt_tokens: 25, completion_tokens: 12, total_tokens: 37 } });
    const finish = parts.at(-2);
    expect(finish?.type === 'chunk' && finish.chunk.choices[0]?.finish_reason).toBe('length');
    expect(streamedText(parts)).toBe(plain.choices[0]?.message.content);
    expect(new Set(chunks.map((part) => part.type === 'chunk' && part.chunk.id)).size).toBe(1);
  });

  it('honours seeds and stop sequences', async () => {
    const sampled = chatRequest({ temperature: 1, seed: 11, max_tokens: 32 });
    const first = await adapter.chat(sampled, 'tiny', callContext());
    const second = await adapter.chat(sampled, 'tiny', callContext());
    const text = first.choices[0]?.message.content ?? '';
    expect(second.choices[0]?.message.content).toBe(text);
    // Random weights write mostly non-text bytes; stop on the first plain letter or digit.
    const stopAt = text.search(/[A-Za-z0-9]/);
    expect(stopAt).toBeGreaterThan(0);
    const stopped = await adapter.chat({ ...sampled, stop: [text.charAt(stopAt), 'never-generated'] }, 'tiny', callContext());
    expect(stopped.choices[0]?.finish_reason).toBe('stop');
    expect(stopped.choices[0]?.message.content).toBe(text.slice(0, stopAt));
  });

  it('constrains the answer to JSON for response_format, with penalties applied', async () => {
    const schema = { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'] };
    const completion = await adapter.chat(
      chatRequest({ max_tokens: 12, presence_penalty: 0.5, frequency_penalty: 0.5, response_format: { type: 'json_schema', json_schema: { name: 'reply', schema } } }),
      'tiny',
      callContext(),
    );
    expect(completion.choices[0]?.message.content).toMatch(/^\{\s*"answer"\s*:/);
    const object = await adapter.chat(chatRequest({ max_tokens: 2, response_format: { type: 'json_object' } }), 'tiny', callContext());
    expect(object.choices[0]?.message.content).toMatch(/^\{/);
  });

  it('stops generating when the request is aborted, and frees the sequence', async () => {
    const controller = new AbortController();
    let contentChunks = 0;
    const consume = async (): Promise<void> => {
      for await (const part of adapter.streamChat(chatRequest({ max_tokens: 200 }), 'tiny', callContext(controller.signal))) {
        if (part.type === 'chunk' && part.chunk.choices[0]?.delta.content) {
          contentChunks += 1;
          if (contentChunks === 2) controller.abort();
        }
      }
    };
    await expect(consume()).rejects.toMatchObject({ name: 'AbortError' });
    expect(contentChunks).toBeLessThan(10);
    const after = await adapter.chat(chatRequest({ max_tokens: 2 }), 'tiny', callContext());
    expect(after.usage?.completion_tokens).toBe(2);
  });

  it('runs one sequence at a time per model; later requests wait in order, aborted waiters leave', async () => {
    const order: string[] = [];
    const run = async (label: string, signal?: AbortSignal): Promise<void> => {
      for await (const part of adapter.streamChat(chatRequest({ max_tokens: 6 }), 'tiny', callContext(signal))) {
        if (part.type === 'chunk') order.push(label);
      }
    };
    const abandoned = new AbortController();
    const first = run('first');
    const leaving = run('leaving', abandoned.signal);
    const second = run('second');
    abandoned.abort();
    await expect(leaving).rejects.toMatchObject({ name: 'AbortError' });
    await Promise.all([first, second]);
    expect(order).not.toContain('leaving');
    expect(order.indexOf('second')).toBeGreaterThan(order.lastIndexOf('first'));
  });

  it('refuses messages longer than the context instead of silently dropping the oldest', async () => {
    const long = chatRequest({ messages: [{ role: 'user', content: 'x'.repeat(300) }] });
    await expect(adapter.chat(long, 'tiny', callContext())).rejects.toMatchObject({ status: 400, code: 'context_length_exceeded' });
    const after = await adapter.chat(chatRequest({ max_tokens: 1 }), 'tiny', callContext());
    expect(after.usage?.completion_tokens).toBe(1);
  });

  it('embeds text with vectors of the model\'s embedding length, and counts the tokens', async () => {
    const result = await adapter.embed?.({ input: ['hello', 'world!'] }, 'tiny-embedding', callContext());
    expect(result?.data.map((item) => item.index)).toEqual([0, 1]);
    expect(result?.data[0]?.embedding).toHaveLength(embeddingLength);
    expect(result?.data[0]?.embedding).not.toEqual(result?.data[1]?.embedding);
    // Each input is BOS plus one token per byte.
    expect(result?.usage).toEqual({ prompt_tokens: 6 + 7, total_tokens: 13 });
  });

  it('refuses chat on an embedding model and token arrays for embeddings', async () => {
    await expect(adapter.chat(chatRequest(), 'tiny-embedding', callContext())).rejects.toMatchObject({ status: 400, code: 'model_not_chat_capable' });
    await expect(adapter.embed?.({ input: [1, 2, 3] }, 'tiny', callContext())).rejects.toMatchObject({ status: 400, param: 'input' });
  });

  it('names the missing file when a model cannot be loaded, and unknown models by name', async () => {
    const attempt = adapter.chat(chatRequest(), 'missing', callContext());
    await expect(attempt).rejects.toBeInstanceOf(UpstreamError);
    await expect(attempt).rejects.toMatchObject({ status: 503, code: 'model_file_not_found' });
    await expect(attempt).rejects.toThrow(missingPath);
    await expect(adapter.chat(chatRequest(), 'nope', callContext())).rejects.toMatchObject({ status: 404, code: 'model_not_found' });
  });
});
