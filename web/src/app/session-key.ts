// What a signed-in tab keeps in the browser. Sign-in opens a cookie session on the server: the
// session token lives in an HTTP-only cookie that scripts cannot read, and the API key itself is
// sent once and never stored. sessionStorage keeps only the session's CSRF token (useless without
// the cookie), so unsafe requests can prove they come from this app.
const legacyKeyStorageName = 'modelmart.apiKey';
const csrfStorageName = 'modelmart.csrfToken';
const localeStorageName = 'modelmart.locale';

/** Keys are `mm-` and printable characters; anything else is refused before it is sent. */
export function isPlausibleKey(text: string): boolean {
  return /^mm-[A-Za-z0-9_-]{8,200}$/.test(text);
}

/**
 * The API key kept in this tab: always null now that the key is never stored (a cookie session
 * rides along with same-origin requests by itself). Kept for callers that send a Bearer key when
 * there is one; unsafe requests they make also need readStoredCsrfToken's token in x-csrf-token.
 */
export function readStoredKey(_storage: Pick<Storage, 'getItem'>): string | null {
  return null;
}

/** Removes a key an earlier version of the app kept in sessionStorage. */
export function forgetLegacyKey(storage: Pick<Storage, 'removeItem'>): void {
  storage.removeItem(legacyKeyStorageName);
}

export function readStoredCsrfToken(storage: Pick<Storage, 'getItem'>): string | null {
  const text = storage.getItem(csrfStorageName);
  return text !== null && /^[A-Za-z0-9_-]{16,200}$/.test(text) ? text : null;
}

export function storeCsrfToken(storage: Pick<Storage, 'setItem' | 'removeItem'>, token: string | null): void {
  if (token === null) storage.removeItem(csrfStorageName);
  else storage.setItem(csrfStorageName, token);
}

export function readStoredLocale(storage: Pick<Storage, 'getItem'>): string | null {
  return storage.getItem(localeStorageName);
}

export function storeLocale(storage: Pick<Storage, 'setItem'>, locale: string): void {
  storage.setItem(localeStorageName, locale);
}

/** How a key is shown: its prefix and last four characters. */
export function maskKey(key: string): string {
  return `${key.slice(0, 3)}…${key.slice(-4)}`;
}
