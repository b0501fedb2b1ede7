import { describe, expect, it } from 'vitest';
import type { ChatCompletionRequest } from '../../api/index.js';
import { convertToOpenAiCompatibleChatRequest, convertToOpenAiCompatibleEmbeddingsRequest } from './convert-to-openai-compatible-request.js';
import { findOpenAiCompatiblePreset } from './openai-compatible-presets.js';
import { resolveQuirks, type ResolvedQuirks } from './openai-compatible-quirks.js';

function quirksOf(presetId: string, upstreamModel: string): ResolvedQuirks {
  const preset = findOpenAiCompatiblePreset(presetId);
  if (preset === undefined) throw new Error(`no preset ${presetId}`);
  return resolveQuirks(preset.vendor, preset.quirks, preset.modelFamilies ?? [], upstreamModel);
}

const hello = [{ role: 'user' as const, content: 'hello' }];

function convert(presetId: string, upstreamModel: string, request: Partial<ChatCompletionRequest>, stream = false): { body: Record<string, unknown>; warnings: string[] } {
  const warnings: string[] = [];
  const body = convertToOpenAiCompatibleChatRequest({ model: 'public-name', messages: hello, ...request }, upstreamModel, quirksOf(presetId, upstreamModel), stream, warnings);
  return { body, warnings };
}

describe('convertToOpenAiCompatibleChatRequest', () => {
  it('passes an OpenAI request through untouched, without nulls and without the stream fields', () => {
    const { body, warnings } = convert('openai', 'gpt-4o-mini', { temperature: 0.5, top_p: null, stream: false, stream_options: { include_usage: true }, tools: [] });
    expect(body).toEqual({ model: 'gpt-4o-mini', messages: hello, temperature: 0.5, tools: [] });
    expect(warnings).toEqual([]);
  });

  it('asks for stream usage only from vendors that accept stream_options', () => {
    expect(convert('vllm', 'qwen', {}, true).body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(convert('mistral', 'mistral-small-latest', { stream_options: { include_usage: true } }, true).body).toEqual({ model: 'mistral-small-latest', messages: hello, stream: true });
  });

  it('applies model-family quirks: OpenAI reasoning models take max_completion_tokens and no temperature', () => {
    const { body, warnings } = convert('openai', 'o3-mini', { max_tokens: 100, temperature: 0.3 });
    expect(body).toEqual({ model: 'o3-mini', messages: hello, max_completion_tokens: 100 });
    expect(warnings).toEqual(["openai (reasoning models) does not support 'temperature'; it was not sent."]);
    expect(convert('openai', 'gpt-5-chat-latest', { temperature: 0.3 }).body).toMatchObject({ temperature: 0.3 });
  });

  it('drops what deepseek-reasoner refuses and translates max_completion_tokens', () => {
    const { body, warnings } = convert('deepseek', 'deepseek-reasoner', { temperature: 0.7, logprobs: true, max_completion_tokens: 512, n: 2 });
    expect(body).toEqual({ model: 'deepseek-reasoner', messages: hello, max_tokens: 512 });
    expect(warnings).toEqual([
      "deepseek (reasoning model) does not support 'temperature'; it was not sent.",
      "deepseek (reasoning model) does not support 'logprobs'; it was not sent.",
      "deepseek (reasoning model) does not support 'n'; it was not sent.",
    ]);
  });

  it("prefers the upstream's own field when the client sent both spellings", () => {
    expect(convert('deepseek', 'deepseek-chat', { max_completion_tokens: 512, max_tokens: 100 }).body['max_tokens']).toBe(100);
    expect(convert('deepseek', 'deepseek-chat', { max_tokens: 100, max_completion_tokens: 512 }).body['max_tokens']).toBe(100);
  });

  it('clamps values to the vendor range and trims stop sequences, saying so', () => {
    const { body, warnings } = convert('zhipu', 'glm-4.5', { temperature: 1.6, top_p: 0, stop: ['a', 'b'], user: 'u-1' });
    expect(body).toEqual({ model: 'glm-4.5', messages: hello, temperature: 1, top_p: 0.01, stop: ['a'], user_id: 'u-1' });
    expect(warnings).toEqual([
      'zhipu accepts temperature from 0 to 1; 1.6 was sent as 1.',
      'zhipu accepts top_p from 0.01 to 1; 0 was sent as 0.01.',
      'zhipu accepts at most 1 stop sequence; only the first one was sent.',
    ]);
  });

  it('limits n to what the vendor returns', () => {
    expect(convert('groq', 'llama-3.3-70b-versatile', { n: 3 })).toEqual({
      body: { model: 'llama-3.3-70b-versatile', messages: hello },
      warnings: ['groq returns at most 1 choice per request; n=3 was sent as 1.'],
    });
    expect(convert('dashscope', 'qwen-plus', { n: 8 }).body['n']).toBe(4);
  });

  it('drops tool_choice forms the vendor lacks', () => {
    const { body, warnings } = convert('zhipu', 'glm-4.5', { tool_choice: { type: 'function', function: { name: 'lookup' } } });
    expect(body).not.toHaveProperty('tool_choice');
    expect(warnings).toEqual(["zhipu does not support tool_choice 'function'; it was not sent."]);
    expect(convert('moonshot', 'kimi-k2', { tool_choice: 'auto' }).body['tool_choice']).toBe('auto');
  });

  it('sends the developer role as system where it is unknown, and joins text parts for string-only vendors', () => {
    const messages: ChatCompletionRequest['messages'] = [
      { role: 'developer', content: 'Be brief.' },
      { role: 'user', content: [{ type: 'text', text: 'Hello, ' }, { type: 'text', text: 'world' }] },
    ];
    const { body, warnings } = convert('deepseek', 'deepseek-chat', { messages });
    expect(body['messages']).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hello, world' },
    ]);
    expect(warnings).toEqual([]);
    expect(convert('openai', 'gpt-4o', { messages }).body['messages']).toBe(messages);
  });

  it('keeps vendor-specific parameters the client passed for lenient upstreams', () => {
    expect(convert('vllm', 'qwen', { top_k: 20, repetition_penalty: 1.1 }).body).toMatchObject({ top_k: 20, repetition_penalty: 1.1 });
  });
});

describe('convertToOpenAiCompatibleEmbeddingsRequest', () => {
  it('never forwards encoding_format and applies embeddings quirks', () => {
    const preset = findOpenAiCompatiblePreset('mistral');
    const quirks = resolveQuirks('mistral', preset?.embeddingsQuirks ?? {}, [], '');
    const warnings: string[] = [];
    const body = convertToOpenAiCompatibleEmbeddingsRequest({ input: 'x', encoding_format: 'base64', dimensions: 256, user: 'u' }, 'mistral-embed', quirks, warnings);
    expect(body).toEqual({ model: 'mistral-embed', input: 'x', output_dimension: 256 });
    expect(warnings).toEqual(["mistral does not support 'user'; it was not sent."]);
  });
});
