import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { areaCatalogues, english, isMessageKey, translate } from './messages';

const sourceRoot = fileURLToPath(new URL('..', import.meta.url));

function sourceFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.test.ts') ? [path] : [];
  });
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? '').sort();
}

describe('message catalogues', () => {
  it('has every English message in Chinese, with the same placeholders, and nothing extra, area by area', () => {
    expect(Object.keys(english).length).toBeGreaterThan(200);
    for (const { area, english: areaEnglish, chinese } of areaCatalogues) {
      const englishKeys = Object.keys(areaEnglish);
      expect(englishKeys.filter((key) => !Object.hasOwn(chinese, key)), area).toEqual([]);
      expect(Object.keys(chinese).filter((key) => !Object.hasOwn(areaEnglish, key)), area).toEqual([]);
      for (const [key, text] of Object.entries(areaEnglish)) {
        const translated = chinese[key] ?? '';
        expect(translated.trim(), key).not.toBe('');
        expect(placeholders(translated), key).toEqual(placeholders(text));
      }
    }
  });

  it('keeps each key in one area only', () => {
    const seen = new Map<string, string>();
    const clashes: string[] = [];
    for (const { area, english: areaEnglish } of areaCatalogues) {
      for (const key of Object.keys(areaEnglish)) {
        const earlier = seen.get(key);
        if (earlier !== undefined) clashes.push(`${key} in ${earlier} and ${area}`);
        seen.set(key, area);
      }
    }
    expect(clashes).toEqual([]);
  });

  it('has a message for every key the components ask for', () => {
    const missing: string[] = [];
    for (const file of sourceFiles(sourceRoot)) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/\bt\(\s*'([A-Za-z0-9_.-]+)'/g)) if (!isMessageKey(match[1] ?? '')) missing.push(`${file}: ${match[1]}`);
      // A key built from a prefix (t(`industry.${value}`)) needs at least one message with that prefix.
      for (const match of text.matchAll(/\bt\(\s*`([A-Za-z0-9_.-]+)\$\{/g)) {
        const prefix = match[1] ?? '';
        if (!Object.keys(english).some((key) => key.startsWith(prefix))) missing.push(`${file}: ${prefix}…`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('fills placeholders and keeps unknown ones visible', () => {
    expect(translate('en', 'compare.limit', { count: 4 })).toBe('Choose up to 4 models.');
    expect(translate('zh-CN', 'compare.limit', { count: 4 })).toBe('最多可选择 4 个模型。');
    expect(translate('en', 'pagination.page')).toBe('Page {page}');
  });
});
