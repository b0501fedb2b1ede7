// Small pieces the GPT store, GPT page and builder share: a GPT's avatar and a category's name.
import type { MessageKey } from '../i18n/messages';
import { isMessageKey } from '../i18n/messages';
import { avatarInitials } from './gpt-store-logic';

/** A category's name in the reader's language; a category the app does not know is shown as the API wrote it. */
export function categoryLabel(t: (key: MessageKey) => string, category: string | null): string {
  if (category === null || category === '') return t('gpts.category.none');
  const key = `gpts.category.${category}`;
  return isMessageKey(key) ? t(key) : category;
}

/** The GPT's picture, or its initials when it has none; decorative, since its name is beside it. */
export function GptAvatar({ name, url }: { readonly name: string; readonly url: string | null }) {
  return url === null ? (
    <span className="gpt-avatar" aria-hidden="true">
      {avatarInitials(name)}
    </span>
  ) : (
    <img className="gpt-avatar" src={url} alt="" width={48} height={48} />
  );
}
