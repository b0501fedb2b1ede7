// The cost of one request, exact to the micro-unit. Every factor (token prices, the plan's markup
// or discount, the share outside a subscription allowance, the exchange rate) is kept as an exact
// BigInt fraction and the product is rounded half up once, at the end; nothing is summed in floats.
//
//   cost = round_half_up( (per_request × 10^6 + uncached_prompt × input + cached × (cached_input ?? input)
//                          + completion × output) / 10^6
//                         × (tokens outside the allowance / all tokens)
//                         × (10,000 + adjustment bp) / 10,000 × (10,000 − volume discount bp) / 10,000
//                         × rate[to] / rate[from] )
import { ModelmartError } from '../core/index.js';
import type { Currency } from '../config/index.js';

export interface PriceTerms {
  readonly currency: Currency;
  readonly input_per_million_tokens: number;
  readonly output_per_million_tokens: number;
  readonly cached_input_per_million_tokens: number | null;
  readonly per_request: number;
}

export interface TokenUsage {
  readonly promptTokens: number;
  readonly completionTokens: number;
  /** Part of promptTokens the upstream served from its cache. */
  readonly cachedTokens: number;
}

export interface CostTerms {
  /** The plan's signed markup (+) or discount (−) in basis points. */
  readonly adjustmentBasisPoints: number;
  /** A volume tier's discount in basis points. */
  readonly discountBasisPoints: number;
  /** Tokens of this request covered by a subscription allowance (cost nothing). */
  readonly coveredTokens: number;
  readonly conversion: Fraction;
}

export interface Fraction {
  readonly numerator: bigint;
  readonly denominator: bigint;
}

export const one: Fraction = { numerator: 1n, denominator: 1n };
const million = 1_000_000n;
const basisPoints = 10_000n;

/** The exact value of a decimal number as written (7.1234 → 71234/10000), so rates carry no binary rounding. */
export function exactFraction(value: number): Fraction {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`not a positive finite number: ${value}`);
  const [mantissa = '0', exponentText] = value.toString().toLowerCase().split('e');
  const exponent = exponentText === undefined ? 0 : Number(exponentText);
  const [whole = '0', decimals = ''] = mantissa.split('.');
  const digits = BigInt(`${whole}${decimals}`);
  const scale = decimals.length - exponent;
  return scale >= 0 ? { numerator: digits, denominator: 10n ** BigInt(scale) } : { numerator: digits * 10n ** BigInt(-scale), denominator: 1n };
}

/** rate[to] / rate[from], with rates in units per 1 USD (USD itself is 1 unless configured). */
export function exchangeFraction(from: Currency, to: Currency, rates: Partial<Record<Currency, number>>): Fraction {
  if (from === to) return one;
  const rate = (currency: Currency): Fraction => {
    const configured = rates[currency];
    if (configured !== undefined) return exactFraction(configured);
    if (currency === 'USD') return one;
    throw new ModelmartError(402, `Prices in ${from} cannot be charged in ${to}: billing.exchangeRates has no rate for ${currency}. An administrator must configure it.`, {
      code: 'currency_without_exchange_rate',
      type: 'insufficient_quota',
      param: currency,
    });
  };
  const target = rate(to);
  const source = rate(from);
  return { numerator: target.numerator * source.denominator, denominator: target.denominator * source.numerator };
}

/** The request's cost as an unrounded fraction of micro-units of the target currency. */
export function costFraction(price: PriceTerms, usage: TokenUsage, terms: CostTerms): Fraction {
  const cached = BigInt(Math.min(usage.cachedTokens, usage.promptTokens));
  const uncached = BigInt(usage.promptTokens) - cached;
  const cachedPrice = BigInt(price.cached_input_per_million_tokens ?? price.input_per_million_tokens);
  let numerator =
    BigInt(price.per_request) * million +
    uncached * BigInt(price.input_per_million_tokens) +
    cached * cachedPrice +
    BigInt(usage.completionTokens) * BigInt(price.output_per_million_tokens);
  let denominator = million;
  const allTokens = BigInt(usage.promptTokens + usage.completionTokens);
  if (terms.coveredTokens > 0 && allTokens > 0n) {
    const covered = BigInt(terms.coveredTokens) > allTokens ? allTokens : BigInt(terms.coveredTokens);
    numerator *= allTokens - covered;
    denominator *= allTokens;
  }
  numerator *= (basisPoints + BigInt(terms.adjustmentBasisPoints)) * (basisPoints - BigInt(terms.discountBasisPoints)) * terms.conversion.numerator;
  denominator *= basisPoints * basisPoints * terms.conversion.denominator;
  return { numerator, denominator };
}

/** Rounds a non-negative fraction half up (0.5 micro-unit → 1). */
export function roundHalfUp(value: Fraction): number {
  if (value.numerator <= 0n) return 0;
  return Number((value.numerator * 2n + value.denominator) / (value.denominator * 2n));
}

/** Rounds a non-negative fraction up, for holds that must never be smaller than the charge. */
export function roundUp(value: Fraction): number {
  if (value.numerator <= 0n) return 0;
  return Number((value.numerator + value.denominator - 1n) / value.denominator);
}

export type Rounding = 'half_up' | 'up';

// The same values without BigInt, for the request path: BigInt allocates on every step, and a
// request computed its cost three times. Integers are exact in a double up to 2^53 − 1, and a sum
// or product of such integers whose true value lies beyond that rounds to a double of magnitude
// ≥ 2^53 (rounding is monotonic and 2^53 is a double), so checking every step's result against
// MAX_SAFE_INTEGER proves it exact; a step that fails the check (NaN from then on) sends the whole
// computation down the BigInt path. Factors k/k (no markup, no discount, the same currency) are
// left out: they change neither the value nor so its rounding.
const largestExact = Number.MAX_SAFE_INTEGER;

/** The value when it is a proven-exact integer, else NaN (which every later step keeps). */
function exact(value: number): number {
  return value <= largestExact && value >= -largestExact ? value : Number.NaN;
}

/** numerator / denominator (denominator > 0) rounded as asked, in doubles; NaN when not provably exact. */
function roundExactly(numerator: number, denominator: number, rounding: Rounding): number {
  if (Number.isNaN(numerator) || Number.isNaN(denominator)) return Number.NaN;
  if (numerator <= 0) return 0;
  // quotient × denominator ≤ numerator + denominator, and twice the remainder < 2 × denominator: both must stay exact.
  if (Number.isNaN(exact(numerator + denominator)) || Number.isNaN(exact(denominator * 2))) return Number.NaN;
  let quotient = Math.floor(numerator / denominator);
  let remainder = numerator - quotient * denominator;
  // The double quotient may be one off next to an integer; the exact remainder corrects it.
  if (remainder < 0) {
    quotient -= 1;
    remainder += denominator;
  } else if (remainder >= denominator) {
    quotient += 1;
    remainder -= denominator;
  }
  if (rounding === 'up') return remainder > 0 ? quotient + 1 : quotient;
  return remainder * 2 >= denominator ? quotient + 1 : quotient;
}

function roundFraction(value: Fraction, rounding: Rounding): number {
  return rounding === 'up' ? roundUp(value) : roundHalfUp(value);
}

/** costFraction rounded, in doubles where that is provably exact (NaN where not). */
function roundedCostInDoubles(price: PriceTerms, usage: TokenUsage, terms: CostTerms, rounding: Rounding): number {
  const { promptTokens, completionTokens, cachedTokens } = usage;
  const input = price.input_per_million_tokens;
  const cachedPrice = price.cached_input_per_million_tokens ?? input;
  const integers =
    Number.isSafeInteger(promptTokens) && Number.isSafeInteger(completionTokens) && Number.isSafeInteger(cachedTokens) &&
    Number.isSafeInteger(input) && Number.isSafeInteger(cachedPrice) && Number.isSafeInteger(price.output_per_million_tokens) && Number.isSafeInteger(price.per_request) &&
    Number.isSafeInteger(terms.coveredTokens) && Number.isSafeInteger(terms.adjustmentBasisPoints) && Number.isSafeInteger(terms.discountBasisPoints);
  // Anything else (a fractional count) takes the BigInt path, which refuses it as before.
  if (!integers) return Number.NaN;
  const cached = Math.min(cachedTokens, promptTokens);
  const uncached = exact(promptTokens - cached);
  let numerator = exact(
    exact(exact(price.per_request * 1_000_000) + exact(uncached * input)) + exact(exact(cached * cachedPrice) + exact(completionTokens * price.output_per_million_tokens)),
  );
  let denominator = 1_000_000;
  const allTokens = exact(promptTokens + completionTokens);
  if (terms.coveredTokens > 0 && allTokens > 0) {
    const covered = Math.min(terms.coveredTokens, allTokens);
    numerator = exact(numerator * exact(allTokens - covered));
    denominator = exact(denominator * allTokens);
  }
  if (terms.adjustmentBasisPoints !== 0) {
    numerator = exact(numerator * (10_000 + terms.adjustmentBasisPoints));
    denominator = exact(denominator * 10_000);
  }
  if (terms.discountBasisPoints !== 0) {
    numerator = exact(numerator * (10_000 - terms.discountBasisPoints));
    denominator = exact(denominator * 10_000);
  }
  const { conversion } = terms;
  if (conversion.numerator !== conversion.denominator) {
    numerator = exact(numerator * exact(Number(conversion.numerator)));
    denominator = exact(denominator * exact(Number(conversion.denominator)));
  }
  return roundExactly(numerator, denominator, rounding);
}

/** The request's cost rounded as asked: exact, in doubles where provably so, else in BigInt. */
export function roundedCost(price: PriceTerms, usage: TokenUsage, terms: CostTerms, rounding: Rounding): number {
  const inDoubles = roundedCostInDoubles(price, usage, terms, rounding);
  return Number.isNaN(inDoubles) ? roundFraction(costFraction(price, usage, terms), rounding) : inDoubles;
}

export function requestCost(price: PriceTerms, usage: TokenUsage, terms: CostTerms): number {
  return roundedCost(price, usage, terms, 'half_up');
}

/** An amount in one currency converted to another, rounded half up (budgets kept in another currency). */
export function convertAmount(amount: number, conversion: Fraction, rounding: Rounding = 'half_up'): number {
  if (Number.isSafeInteger(amount)) {
    if (conversion.numerator === conversion.denominator) return amount > 0 ? amount : 0;
    const inDoubles = roundExactly(exact(amount * exact(Number(conversion.numerator))), exact(Number(conversion.denominator)), rounding);
    if (!Number.isNaN(inDoubles)) return inDoubles;
  }
  return roundFraction({ numerator: BigInt(amount) * conversion.numerator, denominator: conversion.denominator }, rounding);
}
