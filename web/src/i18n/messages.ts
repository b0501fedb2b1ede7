// The message catalogues and the lookup every component uses. English is the reference: its
// keys are the type of a message key, and the unit tests require Chinese to have all of them.
import english from '../messages/en.json';
import chinese from '../messages/zh-CN.json';
import type { Locale } from './locale-format';

export type MessageKey = keyof typeof english;
export type MessageParameters = Readonly<Record<string, string | number>>;

export const catalogues: Readonly<Record<Locale, Readonly<Record<string, string>>>> = { en: english, 'zh-CN': chinese };

/** The message in `locale` (English when missing), with `{name}` placeholders filled in. */
export function translate(locale: Locale, key: MessageKey, parameters: MessageParameters = {}): string {
  const template = catalogues[locale][key] ?? english[key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = parameters[name];
    return value === undefined ? whole : String(value);
  });
}

export function isMessageKey(value: string): value is MessageKey {
  return Object.hasOwn(english, value);
}
