import { describe, expect, it } from 'vitest';
import {
  countCompletionTokens,
  countMessageTokens,
  countPromptTokens,
  countTextTokens,
  imageTokenEstimate,
  lowDetailImageTokens,
  requestedCompletionTokens,
  usageFromCounts,
} from './token-counting.js';

describe('countTextTokens', () => {
  it('counts known strings with o200k_base', () => {
    expect(countTextTokens('hello world')).toBe(2);
    expect(countTextTokens('Hello, world!')).toBe(4);
    expect(countTextTokens('')).toBe(0);
  });

  it('counts special-token markers in user text as plain text instead of throwing', () => {
    expect(countTextTokens('<|endoftext|>')).toBeGreaterThan(1);
  });
});

describe('countPromptTokens', () => {
  it('adds the documented per-message overhead and the reply priming', () => {
    // 3 (message) + 1 ("user") + 2 ("hello world") + 3 (reply priming): what OpenAI reports.
    expect(countPromptTokens({ messages: [{ role: 'user', content: 'hello world' }] })).toBe(9);
    expect(countMessageTokens({ role: 'user', content: 'hello world', name: 'ann' })).toBe(6 + 1 + countTextTokens('ann'));
  });

  it('sums several messages, text parts and assistant tool calls', () => {
    const tokens = countPromptTokens({
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: [{ type: 'text', text: 'hello world' }] },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"q":"x"}' } }] },
        { role: 'tool', content: 'result', tool_call_id: 'call_1' },
      ],
    });
    const expected =
      3 +
      (3 + countTextTokens('system') + countTextTokens('You are terse.')) +
      (3 + 1 + 2) +
      (3 + countTextTokens('assistant') + 3 + countTextTokens('lookup') + countTextTokens('{"q":"x"}')) +
      (3 + countTextTokens('tool') + countTextTokens('result'));
    expect(tokens).toBe(expected);
  });

  it('estimates images by detail and counts the tools JSON', () => {
    const base = countPromptTokens({ messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] });
    const withImages = countPromptTokens({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'hi' },
            { type: 'image_url', image_url: { url: 'https://example.com/a.png' } },
            { type: 'image_url', image_url: { url: 'https://example.com/b.png', detail: 'low' } },
          ],
        },
      ],
    });
    expect(withImages - base).toBe(imageTokenEstimate + lowDetailImageTokens);

    const tools = [{ type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }];
    const withTools = countPromptTokens({ messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], tools });
    expect(withTools - base).toBe(countTextTokens(JSON.stringify(tools)));
  });

  it('counts a long prompt quickly', () => {
    const content = 'The quick brown fox jumps over the lazy dog. '.repeat(2_000);
    const started = performance.now();
    const tokens = countPromptTokens({ messages: [{ role: 'user', content }] });
    expect(tokens).toBeGreaterThan(20_000);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe('completion counting', () => {
  it('counts every choice, refusal and tool call of an answer', () => {
    const tokens = countCompletionTokens({
      choices: [
        { index: 0, message: { role: 'assistant', content: 'hello world' }, finish_reason: 'stop' },
        {
          index: 1,
          message: { role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'lookup', arguments: '{}' } }] },
          finish_reason: 'tool_calls',
        },
      ],
    });
    expect(tokens).toBe(2 + countTextTokens('lookup') + countTextTokens('{}'));
  });

  it('reads the requested completion budget and builds usage', () => {
    expect(requestedCompletionTokens({ max_tokens: 100 })).toBe(100);
    expect(requestedCompletionTokens({ max_tokens: 100, max_completion_tokens: 50 })).toBe(50);
    expect(requestedCompletionTokens({})).toBe(0);
    expect(usageFromCounts(9, 2)).toEqual({ prompt_tokens: 9, completion_tokens: 2, total_tokens: 11 });
  });
});

describe('the prompt token upper bound', () => {
  it('is never below the exact count, for ASCII, CJK, emoji and tool calls', async () => {
    const { promptTokenUpperBound } = await import('./token-counting.js');
    const requests = [
      { messages: [{ role: 'user' as const, content: 'Hello there, how are you?' }] },
      { messages: [{ role: 'system' as const, content: '你是一个乐于助人的助手。' }, { role: 'user' as const, content: '今天天气怎么样？🌤️' }] },
      { messages: [{ role: 'user' as const, content: 'x'.repeat(5_000) }] },
    ];
    for (const request of requests) expect(promptTokenUpperBound(request)).toBeGreaterThanOrEqual(countPromptTokens(request));
  });
});
