import { describe, expect, it } from 'vitest';
import { buildGsm8kChainOfThoughtPrompt } from './gsm8k-benchmark.js';
import { toChatMessages } from './prompt-messages.js';

describe('toChatMessages', () => {
  it('gives each shot a user and an assistant turn, then the question', () => {
    const messages = toChatMessages(buildGsm8kChainOfThoughtPrompt({ question: 'What is 1 + 1?', answer: '#### 2' }));
    expect(messages).toHaveLength(17);
    expect(messages[0]?.role).toBe('user');
    expect(messages[1]).toEqual({ role: 'assistant', content: expect.stringMatching(/The answer is 6\.$/) as unknown as string });
    expect(messages.at(-1)).toEqual({ role: 'user', content: 'Q: What is 1 + 1?\nA:' });
  });

  it('sends a zero-shot prompt as one user turn', () => {
    expect(toChatMessages({ text: 'x', shots: [], question: 'x', stop: [] })).toEqual([{ role: 'user', content: 'x' }]);
  });
});
