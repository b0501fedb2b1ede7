// /auth/v1: the web app's sign-in. POST /auth/v1/sessions takes an API key once (authenticated
// exactly as a Bearer header would be) and answers with an HTTP-only session cookie and a CSRF
// token; GET /auth/v1/session says who the caller is (cookie or Bearer); DELETE signs out.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { parseBody } from '../../api/index.js';
import type { ApiKeyService, Principal } from '../../accounts/index.js';
import { displayHint } from '../../accounts/api-key-format.js';
import { sessionIdentity, type SessionIdentity, type WebSessionService } from '../../accounts/web-session-service.js';
import { invalidApiKey, ModelmartError } from '../../core/index.js';
import { bearerToken } from '../middleware/authentication.js';
import { authenticateSessionRequest, checkSameOrigin, clearSessionCookie, readSessionToken, setSessionCookie } from '../middleware/session-authentication.js';
import { AuthAttemptLimiter, type AuthAttemptLimits } from './auth-attempt-limiter.js';

const openSessionSchema = z.strictObject({
  api_key: z.string().trim().min(1, { error: 'give the API key (mm-…) to sign in with' }).max(500),
});

export interface AuthSessionRouteOptions {
  readonly apiKeys: ApiKeyService;
  readonly sessions: WebSessionService;
  readonly attemptLimits?: AuthAttemptLimits;
}

interface SessionView {
  readonly object: 'session';
  /** How the caller is authenticated: by the session cookie, or by an API key in the Authorization header. */
  readonly authenticated_by: 'session' | 'api_key';
  readonly csrf_token: string | null;
  readonly expires_at: string | null;
  readonly identity: SessionIdentity;
}

function userAgentOf(request: FastifyRequest): string | undefined {
  const agent = request.headers['user-agent'];
  return typeof agent === 'string' ? agent : undefined;
}

function bearerView(principal: Principal, key: string): SessionView {
  return { object: 'session', authenticated_by: 'api_key', csrf_token: null, expires_at: principal.scopes.expiresAt, identity: sessionIdentity(principal, displayHint(key)) };
}

export function registerAuthSessionRoutes(app: FastifyInstance, options: AuthSessionRouteOptions): void {
  const { apiKeys, sessions } = options;
  const attempts = new AuthAttemptLimiter(options.attemptLimits);

  app.post('/auth/v1/sessions', async (request, reply) => {
    // A sign-in may only be started by this server's own page (no logging a victim in as someone else).
    checkSameOrigin(request);
    attempts.check(request.ip);
    const { api_key: key } = parseBody(openSessionSchema, request.body);
    let principal: Principal;
    try {
      principal = await apiKeys.authenticate(key, { clientIp: request.ip });
    } catch (error) {
      if (error instanceof ModelmartError && error.status === 401) attempts.recordFailure(request.ip);
      throw error;
    }
    // Signing in again replaces the session this browser held, if any.
    const previous = readSessionToken(request);
    if (previous !== undefined) await sessions.authenticate(previous, request.ip).then((session) => sessions.revoke(session.sessionId)).catch(() => undefined);
    const opened = await sessions.open(principal, displayHint(key), userAgentOf(request));
    setSessionCookie(request, reply, opened.token, opened.expiresAt);
    const view: SessionView = { object: 'session', authenticated_by: 'session', csrf_token: opened.csrfToken, expires_at: opened.expiresAt, identity: opened.identity };
    return reply.code(201).header('cache-control', 'no-store').send(view);
  });

  app.get('/auth/v1/session', async (request, reply): Promise<SessionView> => {
    reply.header('cache-control', 'no-store');
    const key = bearerToken(request);
    if (request.headers.authorization !== undefined || readSessionToken(request) === undefined) {
      return bearerView(await apiKeys.authenticate(key, { clientIp: request.ip }), key ?? '');
    }
    const session = await authenticateSessionRequest(request, reply, sessions);
    if (session === undefined) throw invalidApiKey();
    return { object: 'session', authenticated_by: 'session', csrf_token: session.csrfToken, expires_at: session.expiresAt, identity: session.identity };
  });

  app.delete('/auth/v1/session', async (request, reply: FastifyReply) => {
    if (readSessionToken(request) === undefined) {
      throw new ModelmartError(401, 'There is no session to sign out of: the request carries no session cookie. (An API key sent as a Bearer header is revoked with DELETE /admin/v1/keys/{id}.)', { code: 'invalid_session' });
    }
    try {
      const session = await authenticateSessionRequest(request, reply, sessions);
      if (session !== undefined) await sessions.revoke(session.sessionId);
    } catch (error) {
      // A session that has already ended is signed out of all the same; a refused CSRF check is not.
      if (!(error instanceof ModelmartError && error.status === 401)) throw error;
    }
    clearSessionCookie(request, reply);
    return reply.code(204).header('cache-control', 'no-store').send();
  });
}
