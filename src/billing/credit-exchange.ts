// Money amounts at the billing boundary: integer micro-units, validated with zod, and converted
// between currencies exactly (rates are units per 1 USD; USD is 1 unless configured).
import { z } from 'zod';
import { zodErrorToModelmartError } from '../api/index.js';
import type { Currency } from '../config/index.js';
import { ModelmartError } from '../core/index.js';

/** Integer micro-units (1 USD = 1,000,000), strictly positive. */
export const positiveMicroAmountSchema = z
  .number({ error: 'expected an integer amount in micro-units (1 USD = 1,000,000)' })
  .int({ error: 'expected a whole number of micro-units (1 USD = 1,000,000); fractions are refused' })
  .positive({ error: 'expected an amount above zero' })
  .max(Number.MAX_SAFE_INTEGER, { error: 'the amount is too large' });

/** Organisation ids as tenancy makes them (`org_default`, `org_<random>`): short and printable. */
export const organisationIdSchema = z.string().regex(/^[\w.:-]{1,128}$/, { error: 'expected an organisation id such as org_default' });

/** Parses a service input with its schema, throwing the 400 that names the offending field. */
export function parseInput<Output>(schema: z.ZodType<Output>, input: unknown): Output {
  const result = schema.safeParse(input);
  if (!result.success) throw zodErrorToModelmartError(result.error);
  return result.data;
}

// A configured rate as the exact decimal it was written as (7.1234 → 71234/10000), so conversions
// carry no binary rounding. Rates are plain decimals in configuration; exponents are not expected.
function exactFraction(value: number): { numerator: bigint; denominator: bigint } {
  const [whole = '0', decimals = ''] = value.toFixed(12).replace(/0+$/, '').split('.');
  return { numerator: BigInt(`${whole}${decimals}`), denominator: 10n ** BigInt(decimals.length) };
}

export type ExchangeRates = Partial<Record<Currency, number>>;

function rateOf(currency: Currency, rates: ExchangeRates, from: Currency, to: Currency): { numerator: bigint; denominator: bigint } {
  const configured = rates[currency];
  if (configured !== undefined) return exactFraction(configured);
  if (currency === 'USD') return { numerator: 1n, denominator: 1n };
  throw new ModelmartError(400, `An amount in ${from} cannot be credited to an account in ${to}: billing.exchangeRates has no rate for ${currency}.`, {
    code: 'currency_without_exchange_rate',
    param: 'currency',
  });
}

/** amount × rate[to] / rate[from], rounded half up to a whole micro-unit. */
export function convertAmount(amount: number, from: Currency, to: Currency, rates: ExchangeRates): number {
  if (from === to) return amount;
  const target = rateOf(to, rates, from, to);
  const source = rateOf(from, rates, from, to);
  const numerator = BigInt(amount) * target.numerator * source.denominator;
  const denominator = target.denominator * source.numerator;
  return Number((2n * numerator + denominator) / (2n * denominator));
}
