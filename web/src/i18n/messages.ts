// The message catalogues and the lookup every component uses. English is the reference: its
// keys are the type of a message key, and the unit tests require Chinese to have all of them.
// Each area of the app keeps its own pair of files (<area>.en.json, <area>.zh-CN.json) so pages
// can grow without editing one shared file; they are merged here into one catalogue per language.
import accountEnglish from '../messages/account.en.json';
import accountChinese from '../messages/account.zh-CN.json';
import adminEnglish from '../messages/admin.en.json';
import adminChinese from '../messages/admin.zh-CN.json';
import coreEnglish from '../messages/en.json';
import coreChinese from '../messages/zh-CN.json';
import evaluationsEnglish from '../messages/evaluations.en.json';
import evaluationsChinese from '../messages/evaluations.zh-CN.json';
import gptsEnglish from '../messages/gpts.en.json';
import gptsChinese from '../messages/gpts.zh-CN.json';
import type { Locale } from './locale-format';

export const english = { ...coreEnglish, ...gptsEnglish, ...adminEnglish, ...accountEnglish, ...evaluationsEnglish };
const chinese: Readonly<Record<string, string>> = { ...coreChinese, ...gptsChinese, ...adminChinese, ...accountChinese, ...evaluationsChinese };

/** The area catalogues, each English file with its Chinese one; a key may live in one area only. */
export const areaCatalogues: readonly { readonly area: string; readonly english: Readonly<Record<string, string>>; readonly chinese: Readonly<Record<string, string>> }[] = [
  { area: 'core', english: coreEnglish, chinese: coreChinese },
  { area: 'gpts', english: gptsEnglish, chinese: gptsChinese },
  { area: 'admin', english: adminEnglish, chinese: adminChinese },
  { area: 'account', english: accountEnglish, chinese: accountChinese },
  { area: 'evaluations', english: evaluationsEnglish, chinese: evaluationsChinese },
];

export type MessageKey = keyof typeof english;
export type MessageParameters = Readonly<Record<string, string | number>>;

export const catalogues: Readonly<Record<Locale, Readonly<Record<string, string>>>> = { en: english, 'zh-CN': chinese };

/** The message in `locale` (English when missing), with `{name}` placeholders filled in. */
export function translate(locale: Locale, key: MessageKey, parameters: MessageParameters = {}): string {
  const template = catalogues[locale][key] ?? (english as Readonly<Record<string, string>>)[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = parameters[name];
    return value === undefined ? whole : String(value);
  });
}

export function isMessageKey(value: string): value is MessageKey {
  return Object.hasOwn(english, value);
}
