import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import english from '../messages/en.json';
import chinese from '../messages/zh-CN.json';
import { isMessageKey, translate } from './messages';

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
  it('has every English message in Chinese, with the same placeholders, and nothing extra', () => {
    const englishKeys = Object.keys(english);
    expect(englishKeys.length).toBeGreaterThan(200);
    expect(englishKeys.filter((key) => !Object.hasOwn(chinese, key))).toEqual([]);
    expect(Object.keys(chinese).filter((key) => !Object.hasOwn(english, key))).toEqual([]);
    for (const [key, text] of Object.entries(english)) {
      const translated = (chinese as Record<string, string>)[key] ?? '';
      expect(translated.trim(), key).not.toBe('');
      expect(placeholders(translated), key).toEqual(placeholders(text));
    }
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
