import { describe, expect, it } from 'vitest';
import type { SignedInIdentity } from './app-context';
import { identityFromSession, isSessionView, navigationVisible, type SessionView } from './session-logic';
import { forgetLegacyKey, readStoredCsrfToken, readStoredKey, storeCsrfToken } from './session-key';

const view: SessionView = {
  object: 'session',
  authenticated_by: 'session',
  csrf_token: 'c'.repeat(43),
  expires_at: '2026-01-01T12:00:00.000Z',
  identity: { key_label: 'mm-…abcd', key_name: 'ops', role: 'admin', organisation_id: 'org_default', organisation_role: 'owner', project_id: 'proj_default' },
};

function memoryStorage(): Storage {
  const values = new Map<string, string>();
  return {
    get length() {
      return values.size;
    },
    clear: () => values.clear(),
    getItem: (name) => values.get(name) ?? null,
    key: (index) => [...values.keys()][index] ?? null,
    removeItem: (name) => void values.delete(name),
    setItem: (name, value) => void values.set(name, value),
  };
}

describe('session logic', () => {
  it("turns the server's session into the identity pages see", () => {
    expect(isSessionView(view)).toBe(true);
    expect(isSessionView({ object: 'list' })).toBe(false);
    expect(isSessionView({ object: 'session', identity: null })).toBe(false);
    expect(identityFromSession(view)).toEqual({ keyLabel: 'mm-…abcd', role: 'admin', organisationRole: 'owner', organisationId: 'org_default', projectId: 'proj_default' });
    expect(identityFromSession({ ...view, identity: { ...view.identity, role: 'auditor' } }).role).toBe('unknown');
  });

  it('shows admin pages to installation admins only, and key pages to anyone signed in', () => {
    const admin: SignedInIdentity = identityFromSession(view);
    const user: SignedInIdentity = { ...admin, role: 'user', organisationRole: 'admin' };
    expect(navigationVisible('admin', admin)).toBe(true);
    expect(navigationVisible('evaluations', admin)).toBe(true);
    expect(navigationVisible('admin', user)).toBe(false);
    expect(navigationVisible('evaluations', user)).toBe(false);
    expect(navigationVisible('console', user)).toBe(true);
    expect(navigationVisible('playground', user)).toBe(true);
    expect(navigationVisible('console', null)).toBe(false);
    expect(navigationVisible('playground', null)).toBe(false);
    expect(navigationVisible('admin', null)).toBe(false);
    expect(navigationVisible('store', null)).toBe(true);
    expect(navigationVisible('gpt-store', null)).toBe(true);
  });

  it('keeps only the CSRF token in the tab, never a key', () => {
    const storage = memoryStorage();
    storage.setItem('modelmart.apiKey', 'mm-legacy-key-123456');
    expect(readStoredKey(storage)).toBeNull();
    forgetLegacyKey(storage);
    expect(storage.getItem('modelmart.apiKey')).toBeNull();
    storeCsrfToken(storage, view.csrf_token);
    expect(readStoredCsrfToken(storage)).toBe(view.csrf_token);
    storage.setItem('modelmart.csrfToken', 'not a token!');
    expect(readStoredCsrfToken(storage)).toBeNull();
    storeCsrfToken(storage, null);
    expect(storage.length).toBe(0);
  });
});
