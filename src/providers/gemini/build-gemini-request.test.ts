import { describe, expect, it } from 'vitest';
import type { ChatCompletionRequest } from '../../api/index.js';
import { buildGeminiRequest } from './build-gemini-request.js';

const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Current weather',
    parameters: { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', additionalProperties: false, properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

function build(request: Partial<ChatCompletionRequest>, warnings: string[] = []) {
  return buildGeminiRequest({ model: 'gemini', messages: [{ role: 'user', content: 'Hi' }], ...request }, { placeholderThoughtSignatures: false }, warnings);
}

describe('buildGeminiRequest', () => {
  it('maps sampling parameters into generationConfig', () => {
    expect(build({ temperature: 1.5, top_p: 0.8, max_tokens: 300, stop: ['END'], n: 2, seed: 42, presence_penalty: 0.5, frequency_penalty: 0.25 }).generationConfig).toEqual({
      temperature: 1.5,
      topP: 0.8,
      maxOutputTokens: 300,
      stopSequences: ['END'],
      candidateCount: 2,
      seed: 42,
      presencePenalty: 0.5,
      frequencyPenalty: 0.25,
    });
    expect(build({}).generationConfig).toBeUndefined();
  });

  it('declares tools without the schema keywords Gemini rejects', () => {
    expect(build({ tools: [weatherTool] }).tools).toEqual([
      { functionDeclarations: [{ name: 'get_weather', description: 'Current weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }] },
    ]);
    expect(build({ tools: [{ type: 'function', function: { name: 'get_time' } }] }).tools).toEqual([{ functionDeclarations: [{ name: 'get_time' }] }]);
  });

  it('maps every tool_choice to functionCallingConfig', () => {
    expect(build({ tools: [weatherTool] }).toolConfig).toBeUndefined();
    expect(build({ tools: [weatherTool], tool_choice: 'auto' }).toolConfig).toEqual({ functionCallingConfig: { mode: 'AUTO' } });
    expect(build({ tools: [weatherTool], tool_choice: 'none' }).toolConfig).toEqual({ functionCallingConfig: { mode: 'NONE' } });
    expect(build({ tools: [weatherTool], tool_choice: 'required' }).toolConfig).toEqual({ functionCallingConfig: { mode: 'ANY' } });
    expect(build({ tools: [weatherTool], tool_choice: { type: 'function', function: { name: 'get_weather' } } }).toolConfig).toEqual({
      functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather'] },
    });
  });

  it('asks for JSON with a response schema', () => {
    const schema = { type: 'object', additionalProperties: false, properties: { answer: { type: 'string' } }, required: ['answer'] };
    expect(build({ response_format: { type: 'json_schema', json_schema: { name: 'answer', schema } } }).generationConfig).toEqual({
      responseMimeType: 'application/json',
      responseSchema: { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'] },
    });
    expect(build({ response_format: { type: 'json_object' } }).generationConfig).toEqual({ responseMimeType: 'application/json' });
  });

  it('drops what Gemini lacks with warnings', () => {
    const warnings: string[] = [];
    build({ logprobs: true, logit_bias: { '1': 5 }, parallel_tool_calls: false }, warnings);
    expect(warnings.join('\n')).toMatch(/logprobs[\s\S]*logit_bias[\s\S]*parallel_tool_calls/);
  });
});
