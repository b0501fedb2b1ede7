import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chatCompletionSchema } from '../../api/index.js';
import { anthropicMessageSchema } from './anthropic-api-types.js';
import { convertFromAnthropicResponse } from './convert-from-anthropic-response.js';
import { mapAnthropicFinishReason } from './map-anthropic-finish-reason.js';

function fixture(name: string) {
  return anthropicMessageSchema.parse(JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')));
}

describe('convertFromAnthropicResponse', () => {
  it('turns a text message into a chat.completion with usage', () => {
    const completion = convertFromAnthropicResponse(fixture('anthropic-text.json'), 'fallback', undefined, 1_700_000_000);
    expect(chatCompletionSchema.parse(completion)).toEqual(completion);
    expect(completion).toMatchObject({
      id: 'msg_01XFDUDYJgAACzvnptvVoYEL',
      model: 'claude-sonnet-4-5-20250929',
      created: 1_700_000_000,
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hello! How can I help you today?' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 12, completion_tokens: 10, total_tokens: 22, prompt_tokens_details: { cached_tokens: 0 } },
    });
  });

  it('turns tool_use blocks into tool calls and counts cache tokens in the prompt', () => {
    const completion = convertFromAnthropicResponse(fixture('anthropic-tool-use.json'), 'fallback', undefined, 0);
    const choice = completion.choices[0];
    expect(choice?.finish_reason).toBe('tool_calls');
    expect(choice?.message.content).toBe("I'll check the current weather in San Francisco for you.");
    expect(choice?.message.tool_calls).toEqual([
      { id: 'toolu_01A09q90qw90lq917835lq9', type: 'function', function: { name: 'get_weather', arguments: '{"location":"San Francisco, CA","unit":"celsius"}' } },
    ]);
    expect(completion.usage).toEqual({ prompt_tokens: 472 + 2048 + 100, completion_tokens: 91, total_tokens: 472 + 2048 + 100 + 91, prompt_tokens_details: { cached_tokens: 2048 } });
  });

  it('turns the forced JSON-answer tool back into text', () => {
    const completion = convertFromAnthropicResponse(fixture('anthropic-json-answer.json'), 'fallback', 'city_facts', 0);
    const choice = completion.choices[0];
    expect(choice?.finish_reason).toBe('stop');
    expect(choice?.message.tool_calls).toBeUndefined();
    expect(JSON.parse(choice?.message.content ?? '')).toEqual({ city: 'Paris', population: 2102650 });
  });
});

describe('mapAnthropicFinishReason', () => {
  it('maps every documented stop reason', () => {
    expect(mapAnthropicFinishReason('end_turn')).toBe('stop');
    expect(mapAnthropicFinishReason('stop_sequence')).toBe('stop');
    expect(mapAnthropicFinishReason('max_tokens')).toBe('length');
    expect(mapAnthropicFinishReason('tool_use')).toBe('tool_calls');
    expect(mapAnthropicFinishReason('refusal')).toBe('content_filter');
    expect(mapAnthropicFinishReason('pause_turn')).toBe('stop');
    expect(mapAnthropicFinishReason(null)).toBe('stop');
  });
});
