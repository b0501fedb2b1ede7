// What every page needs from the shell: the language and its formatters, the API client (which
// carries the signed-in cookie session), who is signed in, and navigation. Provided once by the
// shell, read with useApp().
import { createContext, useContext } from 'react';
import type { ApiClient } from '../api/api-client';
import type { Currency, Locale } from '../i18n/locale-format';
import type { MessageKey, MessageParameters } from '../i18n/messages';

export interface AppLocation {
  readonly pathname: string;
  readonly search: string;
}

/** Who is signed in, as the pages need to know it; null when nobody is. */
export interface SignedInIdentity {
  /** The key as it may be shown: its prefix and last characters (`mm-…abcd`). */
  readonly keyLabel: string;
  /** 'admin' for an installation administrator's key; 'user' otherwise; unknown until the server says. */
  readonly role: 'admin' | 'user' | 'unknown';
  /** The key's organisation role (owner, admin, member, billing_viewer); unknown until the server says. */
  readonly organisationRole: string;
  /** The key's organisation and project ids, as the server reported them. */
  readonly organisationId?: string;
  readonly projectId?: string;
}

export interface AppServices {
  readonly locale: Locale;
  setLocale(locale: Locale): void;
  t(key: MessageKey, parameters?: MessageParameters): string;
  readonly format: {
    number(value: number, maximumFractionDigits?: number): string;
    tokens(value: number): string;
    money(microUnits: number, currency: Currency): string;
    date(isoText: string): string;
    dateTime(isoText: string): string;
    score(value: number): string;
  };
  readonly client: ApiClient;
  readonly identity: SignedInIdentity | null;
  /** Opens a cookie session with this key (sent once, never stored); rejects with the API's error. */
  signIn(key: string): Promise<void>;
  /** Ends the session on the server and forgets it here. */
  signOut(): Promise<void>;
  readonly location: AppLocation;
  navigate(href: string, options?: { readonly replace?: boolean }): void;
}

export const AppContext = createContext<AppServices | null>(null);

export function useApp(): AppServices {
  const services = useContext(AppContext);
  if (services === null) throw new Error('useApp outside the app shell');
  return services;
}
