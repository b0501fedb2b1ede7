import { describe, expect, it } from 'vitest';
import { extractMmluLetter, scoreMmluOutput } from './mmlu-letter-scorer.js';

describe('extractMmluLetter', () => {
  it('reads a bare or decorated leading letter', () => {
    expect(extractMmluLetter('B')).toBe('B');
    expect(extractMmluLetter(' C. Paris')).toBe('C');
    expect(extractMmluLetter('(D)')).toBe('D');
    expect(extractMmluLetter('A\n')).toBe('A');
  });

  it('prefers the last stated "Answer: X" of a chain of thought', () => {
    expect(extractMmluLetter('A is wrong because... B fits. Answer: B')).toBe('B');
    expect(extractMmluLetter('Thinking. The answer is (C).')).toBe('C');
    expect(extractMmluLetter('Answer: A ... on reflection, Answer: D')).toBe('D');
  });

  it('does not mistake the article "a" for a choice, and marks no answer invalid', () => {
    expect(extractMmluLetter('The answer is a mystery')).toBe('[invalid]');
    expect(extractMmluLetter('')).toBe('[invalid]');
    expect(extractMmluLetter('Apples are red')).toBe('[invalid]');
  });

  it('scores against the gold letter', () => {
    expect(scoreMmluOutput('B', 'B')).toBe(true);
    expect(scoreMmluOutput('Answer: C', 'B')).toBe(false);
  });
});
