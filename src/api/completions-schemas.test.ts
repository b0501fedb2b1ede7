import { describe, expect, it } from 'vitest';
import { textCompletionRequestSchema, textCompletionSchema } from './completions-schemas.js';
import { parseBody } from './validation-errors.js';

describe('legacy completions request schema', () => {
  it('accepts a string or string-array prompt with the legacy parameters', () => {
    const body = {
      model: 'gpt-3.5-turbo-instruct',
      prompt: ['Say this', 'is a test'],
      max_tokens: 7,
      temperature: 0,
      top_p: 1,
      n: 2,
      stream: false,
      stop: ['\n'],
      echo: true,
      logprobs: 2,
      suffix: ' end',
      seed: 3,
      user: 'u-1',
      best_of: 3,
    };
    expect(parseBody(textCompletionRequestSchema, body)).toEqual(body);
    expect(textCompletionRequestSchema.safeParse({ model: 'm', prompt: 'hi' }).success).toBe(true);
  });

  it('keeps vendor parameters it does not know', () => {
    expect(parseBody(textCompletionRequestSchema, { model: 'm', prompt: 'x', top_k: 40 })).toMatchObject({ top_k: 40 });
  });

  it('rejects bad values with a 400 naming the parameter', () => {
    expect(() => parseBody(textCompletionRequestSchema, { model: 'm' })).toThrow(/prompt/);
    expect(() => parseBody(textCompletionRequestSchema, { model: 'm', prompt: 'x', logprobs: 6 })).toThrow(/logprobs/);
    expect(() => parseBody(textCompletionRequestSchema, { model: 'm', prompt: 'x', temperature: 3 })).toThrow(/temperature/);
    expect(() => parseBody(textCompletionRequestSchema, { model: 'm', prompt: 'x', stop: ['a', 'b', 'c', 'd', 'e'] })).toThrow(/stop/);
  });
});

describe('legacy completion response', () => {
  it('validates the OpenAI text_completion shape', () => {
    const response = {
      id: 'cmpl-1',
      object: 'text_completion',
      created: 1_700_000_000,
      model: 'gpt-3.5-turbo-instruct',
      choices: [{ index: 0, text: 'This is a test.', logprobs: null, finish_reason: 'stop' }],
      usage: { prompt_tokens: 5, completion_tokens: 5, total_tokens: 10 },
    };
    expect(textCompletionSchema.parse(response)).toEqual(response);
    expect(textCompletionSchema.safeParse({ ...response, object: 'chat.completion' }).success).toBe(false);
  });
});
