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

export function requestCost(price: PriceTerms, usage: TokenUsage, terms: CostTerms): number {
  return roundHalfUp(costFraction(price, usage, terms));
}

/** An amount in one currency converted to another, rounded half up (budgets kept in another currency). */
export function convertAmount(amount: number, conversion: Fraction, rounding: 'half_up' | 'up' = 'half_up'): number {
  const value = { numerator: BigInt(amount) * conversion.numerator, denominator: conversion.denominator };
  return rounding === 'up' ? roundUp(value) : roundHalfUp(value);
}
