// The signed-in session as the server describes it, turned into what pages see, and which
// navigation entries a signed-in key may use. What a role may not do is hidden here and refused
// by the API anyway.
import type { SignedInIdentity } from './app-context';
import type { PageName } from './router';

/** GET /auth/v1/session and POST /auth/v1/sessions answer with this. */
export interface SessionView {
  readonly object: 'session';
  readonly authenticated_by: 'session' | 'api_key';
  /** Present for a cookie session: unsafe requests send it as x-csrf-token. */
  readonly csrf_token: string | null;
  readonly expires_at: string | null;
  readonly identity: {
    readonly key_label: string;
    readonly key_name?: string;
    readonly role: string;
    readonly organisation_id: string;
    readonly organisation_role: string;
    readonly project_id: string;
  };
}

export function isSessionView(value: unknown): value is SessionView {
  if (typeof value !== 'object' || value === null || !('object' in value) || value.object !== 'session') return false;
  if (!('identity' in value) || typeof value.identity !== 'object' || value.identity === null) return false;
  return 'key_label' in value.identity && typeof value.identity.key_label === 'string';
}

export function identityFromSession(view: SessionView): SignedInIdentity {
  const { identity } = view;
  return {
    keyLabel: identity.key_label,
    role: identity.role === 'admin' || identity.role === 'user' ? identity.role : 'unknown',
    organisationRole: identity.organisation_role,
    organisationId: identity.organisation_id,
    projectId: identity.project_id,
  };
}

/** Pages only an installation administrator may use. */
const adminPages: ReadonlySet<PageName> = new Set<PageName>(['admin', 'evaluations', 'evaluation']);
/** Pages that need a signed-in key. */
const signedInPages: ReadonlySet<PageName> = new Set<PageName>(['console', 'playground']);

/** Whether the navigation shows the entry for this page to this identity (null: nobody signed in). */
export function navigationVisible(page: PageName, identity: SignedInIdentity | null): boolean {
  if (adminPages.has(page)) return identity?.role === 'admin';
  if (signedInPages.has(page)) return identity !== null;
  return true;
}
