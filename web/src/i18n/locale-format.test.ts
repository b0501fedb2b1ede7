import { describe, expect, it } from 'vitest';
import { chooseLocale, formatDate, formatMoney, formatNumber, formatScore, formatTokens, isLocale } from './locale-format';

describe('locale formatting', () => {
  it('writes numbers and token counts per locale', () => {
    expect(formatNumber('en', 1234567.891)).toBe('1,234,567.89');
    expect(formatNumber('zh-CN', 1234567.891)).toBe('1,234,567.89');
    expect(formatTokens('en', 128000)).toBe('128,000');
    expect(formatTokens('zh-CN', 128000, true)).toBe('12.8万');
    expect(formatTokens('en', 128000, true)).toBe('128K');
  });

  it('writes micro-units as USD and CNY, keeping small amounts non-zero', () => {
    expect(formatMoney('en', 30_000_000, 'USD')).toBe('$30.00');
    expect(formatMoney('en', 1_500_000, 'CNY')).toBe('CN¥1.50');
    expect(formatMoney('zh-CN', 1_500_000, 'CNY')).toBe('¥1.50');
    expect(formatMoney('zh-CN', 30_000_000, 'USD')).toBe('US$30.00');
    expect(formatMoney('en', 660, 'USD')).toBe('$0.00066');
    expect(formatMoney('en', 0, 'USD')).toBe('$0.00');
  });

  it('writes dates in UTC per locale, and leaves unreadable text as it is', () => {
    expect(formatDate('en', '2023-11-03')).toBe('Nov 3, 2023');
    expect(formatDate('zh-CN', '2023-11-03T23:30:00Z')).toBe('2023年11月3日');
    expect(formatDate('en', 'soon')).toBe('soon');
  });

  it('writes benchmark scores as percentages', () => {
    expect(formatScore('en', 62.9)).toBe('62.9%');
    expect(formatScore('zh-CN', 73)).toBe('73%');
  });

  it('chooses the stored language, else the browser language, else English', () => {
    expect(chooseLocale('zh-CN', ['en-US'])).toBe('zh-CN');
    expect(chooseLocale('fr', ['zh-TW', 'en'])).toBe('zh-CN');
    expect(chooseLocale(null, ['en-GB'])).toBe('en');
    expect(chooseLocale(null, ['de-DE'])).toBe('en');
    expect(isLocale('en')).toBe(true);
    expect(isLocale('de')).toBe(false);
  });
});
