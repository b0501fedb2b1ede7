import { describe, expect, it } from 'vitest';
import { convertAmount, costFraction, exactFraction, exchangeFraction, one, requestCost, roundedCost, roundHalfUp, roundUp, type PriceTerms } from './billing-cost.js';
import { pricingPlanSchema, volumeDiscount } from './billing-plan-schema.js';

const price: PriceTerms = { currency: 'USD', input_per_million_tokens: 150_000, output_per_million_tokens: 600_000, cached_input_per_million_tokens: 75_000, per_request: 0 };
const plain = { adjustmentBasisPoints: 0, discountBasisPoints: 0, coveredTokens: 0, conversion: one };

describe('request cost', () => {
  it('is exact integer micro-units, rounded half up once', () => {
    // 1,000 × 0.15 + 500 × 0.6 = 150 + 300 micro-units.
    expect(requestCost(price, { promptTokens: 1_000, completionTokens: 500, cachedTokens: 0 }, plain)).toBe(450);
    // 3 × 0.15 + 1 × 0.6 = 1.05 → 1; 7 × 0.15 = 1.05 … and exactly .5 goes up.
    expect(requestCost(price, { promptTokens: 3, completionTokens: 1, cachedTokens: 0 }, plain)).toBe(1);
    expect(requestCost({ ...price, input_per_million_tokens: 500_000 }, { promptTokens: 1, completionTokens: 0, cachedTokens: 0 }, plain)).toBe(1);
    expect(requestCost({ ...price, input_per_million_tokens: 499_999 }, { promptTokens: 1, completionTokens: 0, cachedTokens: 0 }, plain)).toBe(0);
    // Rounding once: 10 requests of 1 token at 0.15 would round to 0 each; one request of 10 tokens is 1.5 → 2.
    expect(requestCost(price, { promptTokens: 10, completionTokens: 0, cachedTokens: 0 }, plain)).toBe(2);
  });

  it('is exact where floating point is not (large counts and prices)', () => {
    const big: PriceTerms = { currency: 'USD', input_per_million_tokens: 9_007_199_254, output_per_million_tokens: 3, cached_input_per_million_tokens: null, per_request: 7 };
    const usage = { promptTokens: 123_456_789, completionTokens: 987_654_321, cachedTokens: 0 };
    const expected = (7n * 1_000_000n + 123_456_789n * 9_007_199_254n + 987_654_321n * 3n) * 2n + 1_000_000n;
    expect(requestCost(big, usage, plain)).toBe(Number(expected / 2_000_000n));
  });

  it('charges cached prompt tokens at the cached price, or the input price when there is none', () => {
    const usage = { promptTokens: 1_000, completionTokens: 0, cachedTokens: 400 };
    expect(requestCost(price, usage, plain)).toBe(600 * 0.15 + 400 * 0.075);
    expect(requestCost({ ...price, cached_input_per_million_tokens: null }, usage, plain)).toBe(150);
  });

  it('adds the per-request price', () => {
    expect(requestCost({ ...price, per_request: 2_500 }, { promptTokens: 0, completionTokens: 0, cachedTokens: 0 }, plain)).toBe(2_500);
  });

  it('applies a markup, a discount and a volume tier in one rounding', () => {
    const usage = { promptTokens: 1_000, completionTokens: 500, cachedTokens: 0 };
    expect(requestCost(price, usage, { ...plain, adjustmentBasisPoints: 1_500 })).toBe(518); // 450 × 1.15 = 517.5 → 518
    expect(requestCost(price, usage, { ...plain, adjustmentBasisPoints: -2_000 })).toBe(360);
    expect(requestCost(price, usage, { ...plain, adjustmentBasisPoints: 1_000, discountBasisPoints: 1_000 })).toBe(446); // 450 × 1.1 × 0.9 = 445.5 → 446
    const plan = pricingPlanSchema.parse({ kind: 'pay_as_you_go', volume_tiers: [{ monthly_spend_above: 1_000, discount_basis_points: 500 }, { monthly_spend_above: 10_000, discount_basis_points: 1_000 }] });
    expect([volumeDiscount(plan, 1_000), volumeDiscount(plan, 1_001), volumeDiscount(plan, 50_000)]).toEqual([0, 500, 1_000]);
  });

  it('charges nothing inside a subscription allowance and the share outside it', () => {
    const usage = { promptTokens: 600, completionTokens: 400, cachedTokens: 0 }; // 90 + 240 = 330
    expect(requestCost(price, usage, { ...plain, coveredTokens: 1_000 })).toBe(0);
    expect(requestCost(price, usage, { ...plain, coveredTokens: 5_000 })).toBe(0);
    expect(requestCost(price, usage, { ...plain, coveredTokens: 250 })).toBe(248); // 330 × 750/1000 = 247.5 → 248
  });

  it('converts currencies with exact rates', () => {
    expect(exactFraction(7.1234)).toEqual({ numerator: 71_234n, denominator: 10_000n });
    expect(exactFraction(1e-7)).toEqual({ numerator: 1n, denominator: 10_000_000n });
    expect(exactFraction(2e21)).toEqual({ numerator: 2_000_000_000_000_000_000_000n, denominator: 1n });
    const usdToCny = exchangeFraction('USD', 'CNY', { CNY: 7.1 });
    expect(requestCost(price, { promptTokens: 1_000, completionTokens: 500, cachedTokens: 0 }, { ...plain, conversion: usdToCny })).toBe(3_195);
    const cnyToUsd = exchangeFraction('CNY', 'USD', { CNY: 7.1 });
    expect(roundHalfUp(costFraction({ ...price, currency: 'CNY' }, { promptTokens: 0, completionTokens: 0, cachedTokens: 0 }, { ...plain, conversion: cnyToUsd }))).toBe(0);
    expect(requestCost({ ...price, currency: 'CNY', per_request: 71 }, { promptTokens: 0, completionTokens: 0, cachedTokens: 0 }, { ...plain, conversion: cnyToUsd })).toBe(10);
  });

  it('refuses a conversion whose rate is missing, naming the currency', () => {
    expect(() => exchangeFraction('USD', 'CNY', {})).toThrow(expect.objectContaining({ status: 402, code: 'currency_without_exchange_rate', param: 'CNY' }));
    expect(() => exchangeFraction('USD', 'CNY', {})).toThrow(/no rate for CNY/);
    expect(exchangeFraction('USD', 'USD', {})).toBe(one);
  });
});

describe('the cost in doubles', () => {
  // A small deterministic generator, so a failure names a case that can be run again.
  function generator(seed: number): (limit: number) => number {
    let state = seed;
    return (limit) => {
      state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
      return Math.floor((state / 2_147_483_648) * limit);
    };
  }

  it('equals the BigInt computation, rounded half up and up, across sizes up to and past 2^53', () => {
    const next = generator(7);
    const magnitudes = [10, 1_000, 1_000_000, 1_000_000_000, 2 ** 40, 2 ** 53];
    const rates = [one, exchangeFraction('USD', 'CNY', { CNY: 7.1234 }), exchangeFraction('CNY', 'USD', { CNY: 7.1 }), exchangeFraction('CNY', 'USD', { CNY: 7.1234, USD: 1.0001 })];
    for (let sample = 0; sample < 20_000; sample += 1) {
      const size = (): number => next(magnitudes[next(magnitudes.length)] ?? 10);
      const prompt = size();
      const terms = {
        adjustmentBasisPoints: next(3) === 0 ? 0 : next(40_000) - 10_000,
        discountBasisPoints: next(3) === 0 ? 0 : next(10_001),
        coveredTokens: next(3) === 0 ? 0 : size(),
        conversion: rates[next(rates.length)] ?? one,
      };
      const price: PriceTerms = { currency: 'USD', input_per_million_tokens: size(), output_per_million_tokens: size(), cached_input_per_million_tokens: next(2) === 0 ? null : size(), per_request: next(2) === 0 ? 0 : size() };
      const usage = { promptTokens: prompt, completionTokens: size(), cachedTokens: next(2) === 0 ? 0 : next(prompt + 2) };
      const fraction = costFraction(price, usage, terms);
      const described = JSON.stringify({ price, usage, terms: { ...terms, conversion: `${terms.conversion.numerator}/${terms.conversion.denominator}` } });
      expect(roundedCost(price, usage, terms, 'half_up'), described).toBe(roundHalfUp(fraction));
      expect(roundedCost(price, usage, terms, 'up'), described).toBe(roundUp(fraction));
      const amount = size() - 5;
      const big = { numerator: BigInt(amount) * terms.conversion.numerator, denominator: terms.conversion.denominator };
      expect(convertAmount(amount, terms.conversion), described).toBe(roundHalfUp(big));
      expect(convertAmount(amount, terms.conversion, 'up'), described).toBe(roundUp(big));
    }
  });

  it('is exact next to an integer quotient and at the edge of 2^53', () => {
    const price: PriceTerms = { currency: 'USD', input_per_million_tokens: 1, output_per_million_tokens: 0, cached_input_per_million_tokens: null, per_request: 0 };
    const plainTerms = { adjustmentBasisPoints: 0, discountBasisPoints: 0, coveredTokens: 0, conversion: one };
    for (const tokens of [Number.MAX_SAFE_INTEGER - 1_000_000, Number.MAX_SAFE_INTEGER - 1, Number.MAX_SAFE_INTEGER, 999_999, 1_000_000, 1_000_001, 1_500_000, 2_499_999, 2_500_000]) {
      const usage = { promptTokens: tokens, completionTokens: 0, cachedTokens: 0 };
      const fraction = costFraction(price, usage, plainTerms);
      expect(roundedCost(price, usage, plainTerms, 'half_up')).toBe(roundHalfUp(fraction));
      expect(roundedCost(price, usage, plainTerms, 'up')).toBe(roundUp(fraction));
    }
    expect(() => roundedCost(price, { promptTokens: 1.5, completionTokens: 0, cachedTokens: 0 }, plainTerms, 'up')).toThrow(RangeError);
    expect(() => convertAmount(1.5, exchangeFraction('USD', 'CNY', { CNY: 7 }))).toThrow(RangeError);
  });
});
