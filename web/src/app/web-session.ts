// The browser's side of the cookie session: restores who is signed in when the app loads (the
// cookie is HTTP-only, so only the server can say), opens a session with a key, signs out on the
// server, and signs the app out with a notice when any call answers 401.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiClient, ApiError } from '../api/api-client';
import type { SignedInIdentity } from './app-context';
import { identityFromSession, isSessionView, type SessionView } from './session-logic';
import { forgetLegacyKey, readStoredCsrfToken, storeCsrfToken } from './session-key';

export interface WebSession {
  /** The one client the pages use: cookie session, CSRF token on unsafe methods. */
  readonly client: ApiClient;
  readonly identity: SignedInIdentity | null;
  /** True until the server has said whether this browser's cookie is a live session. */
  readonly restoring: boolean;
  /** True after a call found the session ended (expired, revoked, signed out elsewhere). */
  readonly ended: boolean;
  dismissEnded(): void;
  signIn(key: string): Promise<void>;
  signOut(): Promise<void>;
}

function unexpectedAnswer(): ApiError {
  return new ApiError(0, 'The server answered the sign-in with something that is not a session.', null, null, null);
}

export function useWebSession(): WebSession {
  const [identity, setIdentity] = useState<SignedInIdentity | null>(null);
  const [restoring, setRestoring] = useState(true);
  const [ended, setEnded] = useState(false);
  const identityHolder = useRef<SignedInIdentity | null>(null);
  const csrfHolder = useRef<string | null>(readStoredCsrfToken(window.sessionStorage));
  // Bumped by every sign-in and sign-out, so a slow restore cannot undo what the user just did.
  const generation = useRef(0);

  const forget = useCallback(() => {
    storeCsrfToken(window.sessionStorage, null);
    csrfHolder.current = null;
    identityHolder.current = null;
    setIdentity(null);
  }, []);

  const adopt = useCallback((view: SessionView) => {
    storeCsrfToken(window.sessionStorage, view.csrf_token);
    csrfHolder.current = view.csrf_token;
    const next = identityFromSession(view);
    identityHolder.current = next;
    setIdentity(next);
    setEnded(false);
  }, []);

  // One client for the app's life; it reads the CSRF token at each call, so signing in or out needs no new client.
  const client = useMemo(
    () =>
      new ApiClient({
        getCsrfToken: () => csrfHolder.current,
        onUnauthorized: () => {
          if (identityHolder.current === null) return;
          forget();
          setEnded(true);
        },
      }),
    [forget],
  );

  useEffect(() => {
    forgetLegacyKey(window.sessionStorage);
    const controller = new AbortController();
    const started = generation.current;
    // A client without the sign-out reaction: here a 401 only means that nobody is signed in.
    new ApiClient({})
      .get<unknown>('/auth/v1/session', {}, controller.signal)
      .then(
        (view) => {
          if (generation.current !== started) return;
          if (isSessionView(view) && view.authenticated_by === 'session') adopt(view);
          else forget();
        },
        (error: unknown) => {
          if (generation.current === started && error instanceof ApiError && error.status === 401) forget();
        },
      )
      .finally(() => {
        if (!controller.signal.aborted) setRestoring(false);
      });
    return () => controller.abort();
  }, [adopt, forget]);

  const signIn = useCallback(
    async (key: string) => {
      const view = await new ApiClient({}).post<unknown>('/auth/v1/sessions', { api_key: key });
      if (!isSessionView(view)) throw unexpectedAnswer();
      generation.current += 1;
      adopt(view);
      setRestoring(false);
    },
    [adopt],
  );

  const signOut = useCallback(async () => {
    generation.current += 1;
    try {
      await client.send('DELETE', '/auth/v1/session');
    } catch {
      // An ended session or an unreachable server: this tab forgets the session all the same.
    } finally {
      forget();
      setEnded(false);
    }
  }, [client, forget]);

  const dismissEnded = useCallback(() => setEnded(false), []);

  return { client, identity, restoring, ended, dismissEnded, signIn, signOut };
}
