// Sign-in with an API key: the key is sent once to open a cookie session (the server checks it
// exactly as it checks a Bearer key, so a mistyped or revoked key is refused here with the API's
// message) and is never kept by the browser. Signing out ends the session on the server.
import { useState, type FormEvent } from 'react';
import { ErrorNotice } from '../components/error-notice';
import { useApp } from './app-context';
import { isPlausibleKey } from './session-key';

export interface SignInControlProps {
  /** The shell is still asking the server whether this browser has a live session. */
  readonly restoring: boolean;
  /** A call found the session ended: say so until the reader dismisses it or signs in. */
  readonly sessionEnded: boolean;
  onDismissEnded(): void;
}

export function SignInControl({ restoring, sessionEnded, onDismissEnded }: SignInControlProps) {
  const { t, identity, signIn, signOut } = useApp();
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [checking, setChecking] = useState(false);
  const [signingOut, setSigningOut] = useState(false);

  if (identity !== null) {
    return (
      <div className="sign-in">
        <span className="muted">{t('signIn.signedInAs', { key: identity.keyLabel })}</span>
        <button
          type="button"
          disabled={signingOut}
          onClick={() => {
            setSigningOut(true);
            void signOut().finally(() => setSigningOut(false));
          }}
        >
          {signingOut ? t('signIn.signingOut') : t('signIn.signOut')}
        </button>
      </div>
    );
  }

  if (restoring) {
    return (
      <div className="sign-in">
        <span className="muted" role="status">
          {t('signIn.checking')}
        </span>
      </div>
    );
  }

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const key = typed.trim();
    if (!isPlausibleKey(key)) {
      setError(new Error(t('signIn.malformed')));
      return;
    }
    setChecking(true);
    setError(null);
    try {
      await signIn(key);
      setTyped('');
      setOpen(false);
    } catch (failure) {
      setError(failure);
    } finally {
      setChecking(false);
    }
  };

  return (
    <div className="sign-in">
      {sessionEnded ? (
        <p className="notice" role="status">
          {t('signIn.sessionEnded')}{' '}
          <button type="button" onClick={onDismissEnded}>
            {t('signIn.dismiss')}
          </button>
        </p>
      ) : null}
      <button type="button" aria-expanded={open} aria-controls="sign-in-form" onClick={() => setOpen(!open)}>
        {t('signIn.button')}
      </button>
      {open ? (
        <form
          id="sign-in-form"
          className="sign-in-form"
          onSubmit={(event) => void submit(event)}
          onKeyDown={(event) => {
            if (event.key === 'Escape') setOpen(false);
          }}
        >
          <label htmlFor="api-key-input">{t('signIn.keyLabel')}</label>
          <input id="api-key-input" autoFocus type="password" autoComplete="off" spellCheck={false} value={typed} onChange={(event) => setTyped(event.target.value)} placeholder="mm-…" required />
          <p className="hint">{t('signIn.hint')}</p>
          <button type="submit" disabled={checking}>
            {checking ? t('signIn.checking') : t('signIn.submit')}
          </button>
          <ErrorNotice error={error} />
        </form>
      ) : null}
    </div>
  );
}
