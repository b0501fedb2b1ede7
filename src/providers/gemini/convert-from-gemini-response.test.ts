import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chatCompletionSchema } from '../../api/index.js';
import { convertFromGeminiResponse } from './convert-from-gemini-response.js';
import { geminiResponseSchema } from './gemini-api-types.js';
import { thoughtSignatureFromToolCallId } from './gemini-tool-call-ids.js';
import { mapGeminiFinishReason } from './map-gemini-finish-reason.js';

function convert(name: string) {
  const response = geminiResponseSchema.parse(JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')));
  return chatCompletionSchema.parse(convertFromGeminiResponse(response, 'fallback', 1_700_000_000));
}

describe('convertFromGeminiResponse', () => {
  it('turns text and usageMetadata into a chat.completion', () => {
    const completion = convert('gemini-text.json');
    expect(completion).toMatchObject({
      id: 'mD1raJ6pBYf2qtsPl6CR8Ao',
      model: 'gemini-2.5-flash',
      choices: [{ index: 0, message: { role: 'assistant', content: 'The capital of France is Paris.' }, finish_reason: 'stop' }],
    });
    expect(completion.usage).toEqual({
      prompt_tokens: 1210,
      completion_tokens: 52,
      total_tokens: 1262,
      prompt_tokens_details: { cached_tokens: 1024 },
      completion_tokens_details: { reasoning_tokens: 44 },
    });
  });

  it('turns functionCall parts into tool calls with fresh ids that carry the thought signature', () => {
    const completion = convert('gemini-function-call.json');
    const choice = completion.choices[0];
    expect(choice?.finish_reason).toBe('tool_calls');
    expect(choice?.message.content).toBeNull();
    const calls = choice?.message.tool_calls ?? [];
    expect(calls.map((call) => [call.function.name, JSON.parse(call.function.arguments)])).toEqual([
      ['get_weather', { location: 'Paris', unit: 'celsius' }],
      ['get_time', {}],
    ]);
    expect(new Set(calls.map((call) => call.id)).size).toBe(2);
    expect(thoughtSignatureFromToolCallId(calls[0]?.id ?? '')).toBe('CiIBVKhc7oDPpnUNpb+Cg/xYbd3uBPxRYX8Cjg2k0Y3Ewi0f');
    expect(thoughtSignatureFromToolCallId(calls[1]?.id ?? '')).toBeUndefined();
  });

  it('reports safety stops and blocked prompts as content_filter', () => {
    expect(convert('gemini-safety.json').choices[0]).toMatchObject({ finish_reason: 'content_filter', message: { content: '' } });
    expect(convert('gemini-prompt-blocked.json').choices[0]).toMatchObject({ finish_reason: 'content_filter', message: { content: null } });
  });
});

describe('mapGeminiFinishReason', () => {
  it('maps the documented reasons', () => {
    expect(mapGeminiFinishReason('STOP', false)).toBe('stop');
    expect(mapGeminiFinishReason('STOP', true)).toBe('tool_calls');
    expect(mapGeminiFinishReason('MAX_TOKENS', true)).toBe('length');
    expect(mapGeminiFinishReason('SAFETY', false)).toBe('content_filter');
    expect(mapGeminiFinishReason('RECITATION', false)).toBe('content_filter');
    expect(mapGeminiFinishReason('OTHER', false)).toBe('stop');
  });
});
