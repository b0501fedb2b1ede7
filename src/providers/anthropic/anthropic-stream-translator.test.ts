import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chatCompletionChunkSchema, type ChatCompletionChunk, type Usage } from '../../api/index.js';
import type { StreamPart } from '../provider-contract.js';
import { UpstreamError } from '../provider-errors.js';
import { translateAnthropicStream } from './anthropic-stream-translator.js';

// Splits a recorded SSE stream into its events' data lines; enough for these fixtures.
async function* replay(name: string): AsyncGenerator<{ data: string }> {
  const text = readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
  for (const block of text.split(/\n\n+/)) {
    const data = block.split('\n').filter((line) => line.startsWith('data:')).map((line) => line.slice(5).trimStart());
    if (data.length > 0) yield { data: data.join('\n') };
  }
}

async function* inline(...events: unknown[]): AsyncGenerator<{ data: string }> {
  for (const event of events) yield { data: JSON.stringify(event) };
}

async function collect(name: string | AsyncIterable<{ data: string }>, jsonToolName?: string): Promise<{ chunks: ChatCompletionChunk[]; usage: Usage[]; parts: StreamPart[] }> {
  const parts: StreamPart[] = [];
  for await (const part of translateAnthropicStream(typeof name === 'string' ? replay(name) : name, { provider: 'anthropic', fallbackModel: 'fallback', jsonToolName, createdSeconds: 1 })) parts.push(part);
  const chunks = parts.flatMap((part) => (part.type === 'chunk' ? [chatCompletionChunkSchema.parse(part.chunk)] : []));
  const usage = parts.flatMap((part) => (part.type === 'usage' ? [part.usage] : []));
  return { chunks, usage, parts };
}

async function failure(name: string | AsyncIterable<{ data: string }>): Promise<UpstreamError> {
  try {
    await collect(name);
  } catch (error) {
    if (error instanceof UpstreamError) return error;
    throw error;
  }
  throw new Error('expected the stream to fail');
}

describe('translateAnthropicStream', () => {
  it('streams a role chunk, text deltas, a finish chunk and then usage', async () => {
    const { chunks, usage, parts } = await collect('anthropic-text.sse');
    expect(chunks[0]?.choices[0]?.delta).toEqual({ role: 'assistant', content: '' });
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe('Hello there, how can I help?');
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
    expect(chunks.slice(0, -1).every((chunk) => chunk.choices[0]?.finish_reason === null)).toBe(true);
    expect(new Set(chunks.map((chunk) => chunk.id))).toEqual(new Set(['msg_01Stream7TextAb']));
    expect(chunks[0]?.model).toBe('claude-sonnet-4-5-20250929');
    expect(usage).toEqual([{ prompt_tokens: 37, completion_tokens: 15, total_tokens: 52, prompt_tokens_details: { cached_tokens: 12 } }]);
    expect(parts.at(-1)?.type).toBe('usage');
  });

  it('streams tool calls whose argument fragments reassemble into JSON', async () => {
    const { chunks, usage } = await collect('anthropic-tool-use.sse');
    const calls = new Map<number, { id?: string; name?: string; arguments: string }>();
    for (const chunk of chunks) {
      for (const delta of chunk.choices[0]?.delta.tool_calls ?? []) {
        const call = calls.get(delta.index) ?? { arguments: '' };
        if (delta.id !== undefined) call.id = delta.id;
        if (delta.function?.name !== undefined) call.name = delta.function.name;
        call.arguments += delta.function?.arguments ?? '';
        calls.set(delta.index, call);
      }
    }
    expect(calls.get(0)).toMatchObject({ id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6', name: 'get_weather' });
    expect(JSON.parse(calls.get(0)?.arguments ?? '')).toEqual({ location: 'San Francisco, CA', unit: 'fahrenheit' });
    expect(calls.get(1)).toEqual({ id: 'toolu_01NoArgs8Lq2', name: 'get_time', arguments: '{}' });
    const firstToolChunk = chunks.find((chunk) => chunk.choices[0]?.delta.tool_calls !== undefined);
    expect(firstToolChunk?.choices[0]?.delta.tool_calls?.[0]).toEqual({ index: 0, id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6', type: 'function', function: { name: 'get_weather', arguments: '' } });
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe('Okay, let me check the weather.');
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('tool_calls');
    expect(usage[0]).toMatchObject({ prompt_tokens: 472, completion_tokens: 89 });
  });

  it('streams a forced JSON answer as text content', async () => {
    const { chunks } = await collect('anthropic-json-answer.sse', 'city_facts');
    expect(chunks.some((chunk) => chunk.choices[0]?.delta.tool_calls !== undefined)).toBe(false);
    expect(JSON.parse(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join(''))).toEqual({ city: 'Paris', population: 2102650 });
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
  });

  it('turns an overload before any output into a retryable 529', async () => {
    const error = await failure('anthropic-overloaded-early.sse');
    expect(error.status).toBe(529);
    expect(error.message).toContain('Overloaded');
    expect(error.afterFirstByte).toBe(false);
    expect(error.retryable).toBe(true);
  });

  it('marks an error after output as not retryable', async () => {
    const error = await failure('anthropic-error-mid-stream.sse');
    expect(error.status).toBe(500);
    expect(error.afterFirstByte).toBe(true);
    expect(error.retryable).toBe(false);
  });

  it('skips thinking blocks and event types it does not know', async () => {
    const { chunks } = await collect(
      inline(
        { type: 'message_start', message: { id: 'msg_1', model: 'claude', content: [], usage: { input_tokens: 3, output_tokens: 1 } } },
        { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '' } },
        { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Let me think' } },
        { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'EqQBCgIYAhIM' } },
        { type: 'content_block_stop', index: 0 },
        { type: 'some_future_event', detail: true },
        { type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } },
        { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'Answer' } },
        { type: 'content_block_stop', index: 1 },
        { type: 'message_delta', delta: { stop_reason: 'max_tokens' }, usage: { output_tokens: 9 } },
        { type: 'message_stop' },
      ),
    );
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe('Answer');
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('length');
  });

  it('fails a stream that ends before the message is complete', async () => {
    const error = await failure(
      inline(
        { type: 'message_start', message: { id: 'msg_1', content: [] } },
        { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
        { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hal' } },
      ),
    );
    expect(error).toMatchObject({ status: 502, afterFirstByte: true });
  });
});
