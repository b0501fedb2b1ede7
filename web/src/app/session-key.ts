// The signed-in API key lives in sessionStorage: it survives a reload of the tab but not the
// end of the browser session, and is never written to localStorage or a cookie.
const storageName = 'modelmart.apiKey';
const localeStorageName = 'modelmart.locale';

/** Keys are `mm-` and printable characters; anything else read back is treated as no key. */
export function isPlausibleKey(text: string): boolean {
  return /^mm-[A-Za-z0-9_-]{8,200}$/.test(text);
}

export function readStoredKey(storage: Pick<Storage, 'getItem'>): string | null {
  const text = storage.getItem(storageName);
  return text !== null && isPlausibleKey(text) ? text : null;
}

export function storeKey(storage: Pick<Storage, 'setItem' | 'removeItem'>, key: string | null): void {
  if (key === null) storage.removeItem(storageName);
  else storage.setItem(storageName, key);
}

export function readStoredLocale(storage: Pick<Storage, 'getItem'>): string | null {
  return storage.getItem(localeStorageName);
}

export function storeLocale(storage: Pick<Storage, 'setItem'>, locale: string): void {
  storage.setItem(localeStorageName, locale);
}

/** How a key is shown once stored: its prefix and last four characters. */
export function maskKey(key: string): string {
  return `${key.slice(0, 3)}…${key.slice(-4)}`;
}
