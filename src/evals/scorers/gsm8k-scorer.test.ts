import { describe, expect, it } from 'vitest';
import { extractChainOfThoughtStrictAnswer, extractFlexibleAnswer, extractStrictAnswer, normalizeForExactMatch, scoreGsm8kOutput } from './gsm8k-scorer.js';

const reference = 'Natalia sold 48/2 = <<48/2=24>>24 clips in May.\nNatalia sold 48+24 = <<48+24=72>>72 clips altogether.\n#### 1,072';

describe('gsm8k filters', () => {
  it('strict-match takes the first "#### N" and is invalid without one', () => {
    expect(extractStrictAnswer('so 5 + 5 = 10\n#### 10\n#### 11')).toBe('10');
    expect(extractStrictAnswer('#### -3.5')).toBe('-3.5');
    expect(extractStrictAnswer('The answer is 10')).toBe('[invalid]');
    expect(extractStrictAnswer('')).toBe('[invalid]');
  });

  it('flexible-extract takes the last number-like run, either alternative', () => {
    expect(extractFlexibleAnswer('I had 12 apples and $1,000. So 7')).toBe('7');
    expect(extractFlexibleAnswer('Total: $1,072.')).toBe('$1,072.');
    expect(extractFlexibleAnswer('no digits here')).toBe('[invalid]');
    expect(extractFlexibleAnswer('-5 degrees')).toBe('-5');
  });

  it('chain-of-thought strict-match reads "The answer is N."', () => {
    expect(extractChainOfThoughtStrictAnswer('23 - 15 is 8. The answer is 8.')).toBe('8');
    expect(extractChainOfThoughtStrictAnswer('It is 8.')).toBe('[invalid]');
  });
});

describe('gsm8k exact match', () => {
  it('removes commas, dollars, everything up to "#### " and a final period, then ignores case', () => {
    expect(normalizeForExactMatch(reference)).toBe('1072');
    expect(normalizeForExactMatch('$1,072.')).toBe('1072');
    expect(normalizeForExactMatch('1072.\n')).toBe('1072\n');
    expect(normalizeForExactMatch('ABC')).toBe('abc');
  });

  it('scores the gold answer right on both filters and a wrong or empty one wrong', () => {
    expect(scoreGsm8kOutput(reference, reference)).toMatchObject({ strictMatch: true, flexibleExtract: true });
    expect(scoreGsm8kOutput('The total is $1,072.', reference)).toMatchObject({ strictMatch: false, flexibleExtract: true, strictAnswer: '[invalid]' });
    expect(scoreGsm8kOutput('#### 1072.5', reference)).toMatchObject({ strictMatch: false, flexibleExtract: false });
    expect(scoreGsm8kOutput('', reference)).toMatchObject({ strictMatch: false, flexibleExtract: false, flexibleAnswer: '[invalid]' });
  });
});
