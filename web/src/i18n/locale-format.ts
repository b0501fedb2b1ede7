// Numbers, money and dates as each language writes them, through Intl. Money arrives from the
// API as integer micro-units (1 USD = 1,000,000), so conversion to units happens here, once.
export const locales = ['en', 'zh-CN'] as const;
export type Locale = (typeof locales)[number];
export type Currency = 'USD' | 'CNY';

const microUnitsPerUnit = 1_000_000;

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (locales as readonly string[]).includes(value);
}

/** The stored choice if valid, else the first browser language we speak, else English. */
export function chooseLocale(stored: string | null, browserLanguages: readonly string[]): Locale {
  if (isLocale(stored)) return stored;
  for (const language of browserLanguages) {
    if (language.toLowerCase().startsWith('zh')) return 'zh-CN';
    if (language.toLowerCase().startsWith('en')) return 'en';
  }
  return 'en';
}

export function formatNumber(locale: Locale, value: number, maximumFractionDigits = 2): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits }).format(value);
}

/** A token count: 128000 → "128,000" (en) / "128,000" (zh-CN); compact form for chart axes. */
export function formatTokens(locale: Locale, tokens: number, compact = false): string {
  return new Intl.NumberFormat(locale, compact ? { notation: 'compact', maximumFractionDigits: 1 } : { maximumFractionDigits: 0 }).format(tokens);
}

/**
 * An amount in micro-units as currency. Small amounts (a single chat message costs fractions
 * of a cent) keep enough digits to be non-zero: up to six fraction digits below one unit.
 */
export function formatMoney(locale: Locale, microUnits: number, currency: Currency): string {
  const units = microUnits / microUnitsPerUnit;
  const small = Math.abs(units) > 0 && Math.abs(units) < 1;
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    minimumFractionDigits: 2,
    maximumFractionDigits: small ? 6 : 2,
  }).format(units);
}

export function microUnitsToUnits(microUnits: number): number {
  return microUnits / microUnitsPerUnit;
}

export function unitsToMicroUnits(units: number): number {
  return Math.round(units * microUnitsPerUnit);
}

/** A calendar date or timestamp from the API, shown in UTC so every reader sees the same day. */
export function formatDate(locale: Locale, isoText: string): string {
  const date = new Date(isoText);
  if (Number.isNaN(date.getTime())) return isoText;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(date);
}

export function formatDateTime(locale: Locale, isoText: string): string {
  const date = new Date(isoText);
  if (Number.isNaN(date.getTime())) return isoText;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(date);
}

/** Benchmark scores are percentages as vendors publish them (62.9 means 62.9 %). */
export function formatScore(locale: Locale, score: number): string {
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(score / 100);
}
