import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteTarget, testDatabaseTargets } from '../../../test/support/test-databases.js';
import { startTestServer, type TestServer } from '../../../test/support/test-server.js';

interface SessionBody {
  object: string;
  authenticated_by: string;
  csrf_token: string | null;
  expires_at: string;
  identity: { key_label: string; role: string; organisation_id: string; organisation_role: string; project_id: string };
}

function sessionCookie(response: LightMyRequestResponse): string {
  const header = response.headers['set-cookie'];
  const text = Array.isArray(header) ? header[0] : header;
  const match = /^modelmart_session=([^;]*)/.exec(text ?? '');
  if (match === null) throw new Error(`no session cookie in ${String(text)}`);
  return `modelmart_session=${match[1]}`;
}

function errorCode(response: LightMyRequestResponse): string | null {
  return response.json<{ error: { code: string | null } }>().error.code;
}

describe.each(testDatabaseTargets())('web sessions on $name', (target) => {
  let test: TestServer;

  beforeAll(async () => {
    test = await startTestServer(target, { auth: { sessionIdleMinutes: 30, sessionLifetimeHours: 2 } });
  });
  afterAll(async () => {
    await test.close();
  });

  const signIn = async (key: string, headers: Record<string, string> = {}) => {
    const response = await test.server.app.inject({ method: 'POST', url: '/auth/v1/sessions', headers: { 'user-agent': 'vitest', ...headers }, payload: { api_key: key } });
    expect(response.statusCode, response.body).toBe(201);
    return { response, cookie: sessionCookie(response), body: response.json<SessionBody>() };
  };

  it('opens a session with an HTTP-only cookie and a CSRF token, and never stores the token itself', async () => {
    const { response, cookie, body } = await signIn(test.adminKey);
    const header = String(response.headers['set-cookie']);
    expect(header).toMatch(/HttpOnly/);
    expect(header).toMatch(/SameSite=Strict/);
    expect(header).toMatch(/Path=\//);
    expect(header).toMatch(/Max-Age=(7199|7200)(;|$)/);
    expect(header).not.toMatch(/Secure/);
    expect(body).toMatchObject({ object: 'session', identity: { role: 'admin', organisation_id: 'org_default', organisation_role: 'owner', project_id: 'proj_default' } });
    expect(body.identity.key_label).toBe(`mm-…${test.adminKey.slice(-4)}`);
    expect(body.csrf_token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(JSON.stringify(body)).not.toContain(test.adminKey);
    const token = cookie.split('=')[1] ?? '';
    const rows = await test.database.kysely.selectFrom('web_sessions').selectAll().execute();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(JSON.stringify(row)).not.toContain(token);
      expect(JSON.stringify(row)).not.toContain(test.adminKey);
    }
    expect(rows.some((row) => row.user_agent === 'vitest')).toBe(true);

    const overHttps = await test.server.app.inject({ method: 'POST', url: '/auth/v1/sessions', headers: { 'x-forwarded-proto': 'https' }, payload: { api_key: test.adminKey } });
    // Without trustProxy the forwarded protocol is not believed; the request came over plain HTTP.
    expect(String(overHttps.headers['set-cookie'])).not.toMatch(/Secure/);
  });

  it('refuses a wrong key like the gateway does, and a malformed body naming the param', async () => {
    const wrong = await test.server.app.inject({ method: 'POST', url: '/auth/v1/sessions', payload: { api_key: 'mm-not-a-real-key-000000' } });
    expect(wrong.statusCode).toBe(401);
    expect(errorCode(wrong)).toBe('invalid_api_key');
    expect(wrong.headers['set-cookie']).toBeUndefined();
    const malformed = await test.server.app.inject({ method: 'POST', url: '/auth/v1/sessions', payload: { key: test.adminKey } });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json<{ error: { param: string } }>().error.param).toBe('api_key');
    const empty = await test.server.app.inject({ method: 'POST', url: '/auth/v1/sessions', payload: { api_key: '' } });
    expect(empty.json<{ error: { param: string } }>().error.param).toBe('api_key');
    const foreign = await test.server.app.inject({ method: 'POST', url: '/auth/v1/sessions', headers: { origin: 'https://evil.example' }, payload: { api_key: test.adminKey } });
    expect(foreign.statusCode).toBe(403);
    expect(errorCode(foreign)).toBe('csrf_token_invalid');
  });

  it('authenticates admin calls by the cookie alone, and unsafe ones only with the CSRF token from this origin', async () => {
    const { cookie, body } = await signIn(test.adminKey);
    const csrf = body.csrf_token ?? '';
    const keys = await test.server.app.inject({ method: 'GET', url: '/admin/v1/keys', headers: { cookie } });
    expect(keys.statusCode, keys.body).toBe(200);
    const routes = await test.server.app.inject({ method: 'GET', url: '/admin/v1/routes', headers: { cookie: `theme=dark; ${cookie}` } });
    expect(routes.statusCode).toBe(200);

    const withoutCsrf = await test.server.app.inject({ method: 'POST', url: '/admin/v1/keys', headers: { cookie }, payload: { name: 'from the web' } });
    expect(withoutCsrf.statusCode).toBe(403);
    expect(errorCode(withoutCsrf)).toBe('csrf_token_invalid');
    expect(withoutCsrf.json<{ error: { message: string } }>().error.message).toContain('x-csrf-token');
    const wrongCsrf = await test.server.app.inject({ method: 'POST', url: '/admin/v1/keys', headers: { cookie, 'x-csrf-token': `${csrf.slice(0, -1)}x` }, payload: { name: 'from the web' } });
    expect(errorCode(wrongCsrf)).toBe('csrf_token_invalid');
    const foreignOrigin = await test.server.app.inject({ method: 'POST', url: '/admin/v1/keys', headers: { cookie, 'x-csrf-token': csrf, origin: 'https://evil.example' }, payload: { name: 'from the web' } });
    expect(foreignOrigin.statusCode).toBe(403);
    expect(errorCode(foreignOrigin)).toBe('csrf_token_invalid');

    const created = await test.server.app.inject({ method: 'POST', url: '/admin/v1/keys', headers: { cookie, 'x-csrf-token': csrf, origin: 'http://localhost:80' }, payload: { name: 'from the web' } });
    expect(created.statusCode, created.body).toBe(201);
    // Bearer requests need no CSRF token, cookie or not.
    const bearer = await test.server.app.inject({ method: 'POST', url: '/admin/v1/keys', headers: { authorization: `Bearer ${test.adminKey}`, cookie }, payload: { name: 'by bearer' } });
    expect(bearer.statusCode).toBe(201);
    // The session reports itself, with the CSRF token for a reloaded tab; Bearer callers see their identity.
    const current = await test.server.app.inject({ method: 'GET', url: '/auth/v1/session', headers: { cookie } });
    expect(current.json<SessionBody>()).toMatchObject({ authenticated_by: 'session', csrf_token: csrf, identity: { role: 'admin' } });
    const byKey = await test.server.app.inject({ method: 'GET', url: '/auth/v1/session', headers: { authorization: `Bearer ${test.userKey}` } });
    expect(byKey.json<SessionBody>()).toMatchObject({ authenticated_by: 'api_key', csrf_token: null, identity: { role: 'user', organisation_role: 'member' } });
    const nobody = await test.server.app.inject({ method: 'GET', url: '/auth/v1/session' });
    expect(nobody.statusCode).toBe(401);
  });

  it('signs out: the session is revoked server-side and the cookie cleared', async () => {
    const { cookie, body } = await signIn(test.userKey);
    expect((await test.server.app.inject({ method: 'GET', url: '/v1/models', headers: { cookie } })).statusCode).toBe(200);
    const noCsrf = await test.server.app.inject({ method: 'DELETE', url: '/auth/v1/session', headers: { cookie } });
    expect(noCsrf.statusCode).toBe(403);
    const signedOut = await test.server.app.inject({ method: 'DELETE', url: '/auth/v1/session', headers: { cookie, 'x-csrf-token': body.csrf_token ?? '' } });
    expect(signedOut.statusCode).toBe(204);
    expect(String(signedOut.headers['set-cookie'])).toMatch(/^modelmart_session=; .*Max-Age=0/);
    const after = await test.server.app.inject({ method: 'GET', url: '/v1/models', headers: { cookie } });
    expect(after.statusCode).toBe(401);
    expect(errorCode(after)).toBe('invalid_session');
    expect(String(after.headers['set-cookie'])).toMatch(/Max-Age=0/);
    // Signing out of an ended session still clears the cookie.
    expect((await test.server.app.inject({ method: 'DELETE', url: '/auth/v1/session', headers: { cookie } })).statusCode).toBe(204);
    expect((await test.server.app.inject({ method: 'DELETE', url: '/auth/v1/session' })).statusCode).toBe(401);
  });

  it('ends the session when its key is revoked, and when it expires or sits idle', async () => {
    const created = await test.apiKeys.createKey({ name: 'short lived', role: 'user' });
    const { cookie } = await signIn(created.key);
    expect((await test.server.app.inject({ method: 'GET', url: '/v1/models', headers: { cookie } })).statusCode).toBe(200);
    await test.apiKeys.revokeKey(created.record.id);
    const revoked = await test.server.app.inject({ method: 'GET', url: '/v1/models', headers: { cookie } });
    expect(revoked.statusCode).toBe(401);
    expect(revoked.json<{ error: { message: string } }>().error.message).toContain('was revoked');

    const expiring = await signIn(test.userKey);
    const expiringId = await sessionIdOf(expiring.cookie);
    await test.database.kysely.updateTable('web_sessions').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where('id', '=', expiringId).execute();
    const expired = await test.server.app.inject({ method: 'GET', url: '/v1/models', headers: { cookie: expiring.cookie } });
    expect(expired.statusCode).toBe(401);
    expect(errorCode(expired)).toBe('session_expired');

    const idling = await signIn(test.userKey);
    const idlingId = await sessionIdOf(idling.cookie);
    await test.database.kysely.updateTable('web_sessions').set({ last_seen_at: new Date(Date.now() - 31 * 60_000).toISOString() }).where('id', '=', idlingId).execute();
    const idle = await test.server.app.inject({ method: 'GET', url: '/auth/v1/session', headers: { cookie: idling.cookie } });
    expect(idle.statusCode).toBe(401);
    expect(errorCode(idle)).toBe('session_expired');
  });

  it("holds a session to its key's IP allow list, at sign-in and on every call", async () => {
    const fenced = await test.apiKeys.createKey({ name: 'office only', role: 'user', scopes: { ip_allow_list: ['10.0.0.0/8'] } });
    const outside = await test.server.app.inject({ method: 'POST', url: '/auth/v1/sessions', payload: { api_key: fenced.key } });
    expect(outside.statusCode).toBe(403);
    expect(errorCode(outside)).toBe('ip_not_allowed');
    const inside = await test.server.app.inject({ method: 'POST', url: '/auth/v1/sessions', remoteAddress: '10.1.2.3', payload: { api_key: fenced.key } });
    expect(inside.statusCode).toBe(201);
    const cookie = sessionCookie(inside);
    expect((await test.server.app.inject({ method: 'GET', url: '/v1/models', remoteAddress: '10.1.2.3', headers: { cookie } })).statusCode).toBe(200);
    const moved = await test.server.app.inject({ method: 'GET', url: '/v1/models', headers: { cookie } });
    expect(moved.statusCode).toBe(403);
    expect(errorCode(moved)).toBe('ip_not_allowed');
  });

  async function sessionIdOf(cookie: string): Promise<string> {
    const hash = test.apiKeys.hashWithInstallationSecret(cookie.split('=')[1] ?? '');
    const row = await test.database.kysely.selectFrom('web_sessions').select('id').where('token_hash', '=', hash).executeTakeFirstOrThrow();
    return row.id;
  }

  it('keeps /auth out of the web app fallback', async () => {
    const unknown = await test.server.app.inject({ method: 'GET', url: '/auth/v1/nothing-here' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toMatch(/application\/json/);
  });

  it('slows down guessing: too many failed sign-ins from one address answer 429', async () => {
    const address = '203.0.113.9';
    let last: LightMyRequestResponse | undefined;
    for (let attempt = 0; attempt < 11; attempt += 1) {
      last = await test.server.app.inject({ method: 'POST', url: '/auth/v1/sessions', remoteAddress: address, payload: { api_key: `mm-wrong-guess-${attempt}-000000` } });
    }
    expect(last?.statusCode).toBe(429);
    expect(last?.headers['retry-after']).toBeDefined();
    const elsewhere = await test.server.app.inject({ method: 'POST', url: '/auth/v1/sessions', remoteAddress: '203.0.113.10', payload: { api_key: test.userKey } });
    expect(elsewhere.statusCode).toBe(201);
  });
});

describe('web sessions behind a TLS-terminating proxy', () => {
  it('marks the cookie Secure and checks the Origin against the forwarded host when the proxy is trusted', async () => {
    const test = await startTestServer(sqliteTarget, { server: { trustProxy: true } });
    try {
      const forwarded = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'models.example.com', origin: 'https://models.example.com' };
      const opened = await test.server.app.inject({ method: 'POST', url: '/auth/v1/sessions', headers: forwarded, payload: { api_key: test.adminKey } });
      expect(opened.statusCode, opened.body).toBe(201);
      expect(String(opened.headers['set-cookie'])).toMatch(/; Secure/);
      const cookie = sessionCookie(opened);
      const csrf = opened.json<SessionBody>().csrf_token ?? '';
      const created = await test.server.app.inject({ method: 'POST', url: '/admin/v1/keys', headers: { ...forwarded, cookie, 'x-csrf-token': csrf }, payload: { name: 'through the proxy' } });
      expect(created.statusCode, created.body).toBe(201);
    } finally {
      await test.close();
    }
  });
});
