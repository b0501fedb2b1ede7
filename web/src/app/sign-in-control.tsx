// Sign-in with an API key: the key is checked against /v1/models before it is kept, so a
// mistyped or revoked key is refused here with the API's message rather than on every page.
import { useState, type FormEvent } from 'react';
import { ApiClient } from '../api/api-client';
import { ErrorNotice } from '../components/error-notice';
import { useApp } from './app-context';
import { isPlausibleKey } from './session-key';

export function SignInControl() {
  const { t, identity, signIn, signOut } = useApp();
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [checking, setChecking] = useState(false);

  if (identity !== null) {
    return (
      <div className="sign-in">
        <span className="muted">{t('signIn.signedInAs', { key: identity.keyLabel })}</span>
        <button type="button" onClick={signOut}>
          {t('signIn.signOut')}
        </button>
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
      await new ApiClient({ getKey: () => key }).get('/v1/models');
      signIn(key);
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
