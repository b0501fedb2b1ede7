import { describe, expect, it } from 'vitest';
import { extractMathAnswer, isMathEquivalent, lastBoxedOnlyString, removeBoxed, scoreMathOutput, stripMathAnswer } from './math-equivalence-scorer.js';

describe('boxed answers', () => {
  it('finds the last \\boxed{} with nested braces, or \\fbox{}', () => {
    expect(lastBoxedOnlyString('first $\\boxed{1}$ then $\\boxed{\\frac{1}{2}}$.')).toBe('\\boxed{\\frac{1}{2}}');
    expect(lastBoxedOnlyString('so \\fbox{7}')).toBe('\\fbox{7}');
    expect(lastBoxedOnlyString('\\boxed{unclosed')).toBeUndefined();
    expect(lastBoxedOnlyString('no box')).toBeUndefined();
  });

  it('removes only a well-formed \\boxed{…}', () => {
    expect(removeBoxed('\\boxed{42}')).toBe('42');
    expect(removeBoxed('\\fbox{42}')).toBeUndefined();
    expect(extractMathAnswer('nothing boxed')).toBe('[invalid]');
  });
});

describe('hendrycks strip_string and is_equiv', () => {
  it('normalises fractions, units, degrees, dollars, percent and spacing', () => {
    expect(stripMathAnswer('\\dfrac{1}{2}')).toBe('\\frac{1}{2}');
    expect(stripMathAnswer('\\frac12')).toBe('\\frac{1}{2}');
    expect(stripMathAnswer('\\frac1{72}')).toBe('\\frac{1}{72}');
    expect(stripMathAnswer('0.5')).toBe('\\frac{1}{2}');
    expect(stripMathAnswer('3/4')).toBe('\\frac{3}{4}');
    expect(stripMathAnswer('03/4')).toBe('03/4');
    expect(stripMathAnswer('90^\\circ')).toBe('90');
    expect(stripMathAnswer('\\$5')).toBe('5');
    expect(stripMathAnswer('50\\%')).toBe('50');
    expect(stripMathAnswer('10 \\text{ cm}')).toBe('10');
    expect(stripMathAnswer('.5')).toBe('\\frac{1}{2}');
    expect(stripMathAnswer('x = 3')).toBe('3');
    expect(stripMathAnswer('\\sqrt2')).toBe('\\sqrt{2}');
    expect(stripMathAnswer('\\left( 1, 2 \\right)')).toBe('(1,2)');
  });

  it('compares normalised strings, falling back to raw equality where the reference raises', () => {
    expect(isMathEquivalent('\\tfrac{1}{2}', '0.5')).toBe(true);
    expect(isMathEquivalent('2', '3')).toBe(false);
    expect(isMathEquivalent(undefined, undefined)).toBe(true);
    expect(isMathEquivalent('1', undefined)).toBe(false);
    expect(isMathEquivalent('\\sqrt', '\\sqrt')).toBe(true);
    expect(isMathEquivalent('\\sqrt', '\\sqrt ')).toBe(false);
    expect(isMathEquivalent('1 \\text{ a} 2 \\text{ b}', '1 \\text{ a} 2 \\text{ b}')).toBe(true);
  });

  it('scores an output by its last box; no box is wrong', () => {
    expect(scoreMathOutput('Thus $\\boxed{\\dfrac{3}{4}}$.', '3/4')).toBe(true);
    expect(scoreMathOutput('The answer is 3/4', '3/4')).toBe(false);
    expect(scoreMathOutput('', undefined)).toBe(false);
  });
});
