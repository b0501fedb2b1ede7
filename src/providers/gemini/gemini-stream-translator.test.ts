import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chatCompletionChunkSchema, type ChatCompletionChunk, type Usage } from '../../api/index.js';
import { UpstreamError } from '../provider-errors.js';
import { translateGeminiStream } from './gemini-stream-translator.js';

async function* replay(name: string): AsyncGenerator<{ data: string }> {
  const text = readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
  for (const block of text.split(/\r?\n\r?\n/)) {
    const data = block.split(/\r?\n/).filter((line) => line.startsWith('data:')).map((line) => line.slice(5).trimStart());
    if (data.length > 0) yield { data: data.join('\n') };
  }
}

async function* events(...bodies: unknown[]): AsyncGenerator<{ data: string }> {
  for (const body of bodies) yield { data: JSON.stringify(body) };
}

async function collect(source: AsyncIterable<{ data: string }>): Promise<{ chunks: ChatCompletionChunk[]; usage: Usage[] }> {
  const chunks: ChatCompletionChunk[] = [];
  const usage: Usage[] = [];
  for await (const part of translateGeminiStream(source, { provider: 'gemini', fallbackModel: 'fallback', createdSeconds: 1 })) {
    if (part.type === 'chunk') chunks.push(chatCompletionChunkSchema.parse(part.chunk));
    else usage.push(part.usage);
  }
  return { chunks, usage };
}

describe('translateGeminiStream', () => {
  it('streams a role chunk, text, a finish chunk and usage', async () => {
    const { chunks, usage } = await collect(replay('gemini-text.sse'));
    expect(chunks[0]?.choices[0]?.delta).toEqual({ role: 'assistant', content: '' });
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe('Once upon a time, a café opened.');
    expect(chunks.at(-1)?.choices[0]).toMatchObject({ delta: {}, finish_reason: 'stop' });
    expect(new Set(chunks.map((chunk) => chunk.id))).toEqual(new Set(['sT1raPuRF4D2qtsP0ZfK2Qs']));
    expect(usage).toEqual([{ prompt_tokens: 7, completion_tokens: 33, total_tokens: 40, prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 21 } }]);
  });

  it('streams each function call whole, with an index, id and JSON arguments', async () => {
    const { chunks } = await collect(replay('gemini-function-call.sse'));
    const deltas = chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []);
    expect(deltas.map((delta) => [delta.index, delta.function?.name, JSON.parse(delta.function?.arguments ?? '')])).toEqual([
      [0, 'get_weather', { location: 'Paris', unit: 'celsius' }],
      [1, 'get_time', {}],
    ]);
    expect(deltas.every((delta) => delta.id?.startsWith('call_') === true && delta.type === 'function')).toBe(true);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('keeps candidates apart when n > 1', async () => {
    const { chunks } = await collect(
      events(
        { candidates: [{ content: { parts: [{ text: 'A' }] }, index: 0 }, { content: { parts: [{ text: 'B' }] }, index: 1 }] },
        { candidates: [{ content: { parts: [{ text: '!' }] }, finishReason: 'STOP', index: 0 }, { content: { parts: [{ text: '?' }] }, finishReason: 'MAX_TOKENS', index: 1 }] },
      ),
    );
    const textOf = (index: number) => chunks.flatMap((chunk) => chunk.choices.filter((choice) => choice.index === index).map((choice) => choice.delta.content ?? '')).join('');
    expect([textOf(0), textOf(1)]).toEqual(['A!', 'B?']);
    const finishes = chunks.flatMap((chunk) => chunk.choices.filter((choice) => choice.finish_reason !== null).map((choice) => [choice.index, choice.finish_reason]));
    expect(finishes).toEqual([[0, 'stop'], [1, 'length']]);
  });

  it('answers a blocked prompt with a content_filter finish', async () => {
    const { chunks } = await collect(events({ promptFeedback: { blockReason: 'SAFETY' }, usageMetadata: { promptTokenCount: 5 } }));
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('content_filter');
  });

  it('turns an error event into an UpstreamError after output, and a cut-off stream into one too', async () => {
    const error = await collect(replay('gemini-error-mid-stream.sse')).then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({ status: 503, afterFirstByte: true, code: 'unavailable' });
    const cut = await collect(events({ candidates: [{ content: { parts: [{ text: 'Hal' }] }, index: 0 }] })).then(() => undefined, (caught: unknown) => caught);
    expect(cut).toMatchObject({ status: 502, code: 'upstream_stream_interrupted', afterFirstByte: true });
  });
});
