import { describe, expect, it } from 'vitest';
import { meanPassAtK, passAtK } from './pass-at-k-scorer.js';

function binomial(n: number, k: number): number {
  let value = 1;
  for (let index = 1; index <= k; index += 1) value = (value * (n - k + index)) / index;
  return value;
}

describe('passAtK', () => {
  it('matches 1 - C(n-c,k)/C(n,k) on small cases', () => {
    for (const [n, c, k] of [[10, 3, 1], [10, 3, 5], [20, 1, 10], [5, 0, 2]] as const) {
      expect(passAtK(n, c, k)).toBeCloseTo(1 - binomial(n - c, k) / binomial(n, k), 12);
    }
    expect(passAtK(1, 1, 1)).toBe(1);
    expect(passAtK(1, 0, 1)).toBe(0);
    expect(passAtK(10, 8, 5)).toBe(1);
  });

  it('stays finite for n = 1000 where the binomials overflow', () => {
    const value = passAtK(1000, 7, 100);
    expect(Number.isFinite(value)).toBe(true);
    expect(value).toBeGreaterThan(0.5);
    expect(value).toBeLessThan(1);
  });

  it('averages over problems and reports only k every problem has samples for', () => {
    expect(meanPassAtK([{ samples: 10, correct: 10 }, { samples: 10, correct: 0 }])).toEqual({ 'pass@1': 0.5, 'pass@10': 0.5 });
    expect(meanPassAtK([{ samples: 1, correct: 1 }, { samples: 20, correct: 0 }])).toEqual({ 'pass@1': 0.5 });
    expect(() => passAtK(3, 1, 4)).toThrow(RangeError);
  });
});
