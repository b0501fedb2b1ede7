// The cookie half of authentication: a request without an Authorization header but with the
// session cookie is authenticated as the session's key. Cookies are sent by the browser on its
// own, so every unsafe request through one must also prove it came from the app: the session's
// CSRF token in x-csrf-token, and an Origin (when the browser sends one) naming this host.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { csrfTokensEqual, type AuthenticatedSession, type WebSessionService } from '../../accounts/web-session-service.js';
import { ModelmartError, permissionDenied } from '../../core/index.js';

export const sessionCookieName = 'modelmart_session';
export const csrfHeaderName = 'x-csrf-token';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The session token in the request's cookies, or undefined when there is none. */
export function readSessionToken(request: FastifyRequest): string | undefined {
  const header = request.headers.cookie;
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator < 0 || part.slice(0, separator).trim() !== sessionCookieName) continue;
    const value = part.slice(separator + 1).trim();
    return value === '' ? undefined : value;
  }
  return undefined;
}

function csrfRefused(message: string): ModelmartError {
  return permissionDenied(message, 'csrf_token_invalid');
}

/** Refuses a request whose Origin header (when present) is not this server's own. */
export function checkSameOrigin(request: FastifyRequest): void {
  const origin = request.headers.origin;
  if (origin === undefined) return;
  let sameHost = false;
  try {
    const originUrl = new URL(origin);
    // Read this host under the origin's scheme so a default port (:80, :443) written on one side only still matches.
    sameHost = originUrl.host === new URL(`${originUrl.protocol}//${request.host}`).host;
  } catch {
    sameHost = false;
  }
  if (!sameHost) {
    throw csrfRefused(`This request comes from the page at ${origin}, not from this server's own web app (${request.host}); requests authenticated by the session cookie are accepted only from the app itself.`);
  }
}

/** For unsafe methods: the CSRF header must equal the session's token, and the origin must be this host. */
export function checkCsrf(request: FastifyRequest, session: AuthenticatedSession): void {
  if (safeMethods.has(request.method)) return;
  const presented = request.headers[csrfHeaderName];
  if (typeof presented !== 'string' || presented === '') {
    throw csrfRefused(
      `This ${request.method} request was authenticated by the session cookie, so it must carry the header ${csrfHeaderName} with the session's CSRF token (returned when the session was opened and by GET /auth/v1/session). Or send the API key as "Authorization: Bearer <key>" instead.`,
    );
  }
  if (!csrfTokensEqual(session.csrfToken, presented)) {
    throw csrfRefused(`The ${csrfHeaderName} header does not match this session's CSRF token; reload the app (GET /auth/v1/session returns the current token) or sign in again.`);
  }
  checkSameOrigin(request);
}

function cookieAttributes(request: FastifyRequest): string {
  // Secure only over HTTPS: a plain-HTTP installation (a laptop, a test) must still be able to sign in.
  return `HttpOnly; SameSite=Strict; Path=/${request.protocol === 'https' ? '; Secure' : ''}`;
}

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string, expiresAt: string): void {
  const maxAgeSeconds = Math.max(0, Math.round((Date.parse(expiresAt) - Date.now()) / 1000));
  reply.header('set-cookie', `${sessionCookieName}=${token}; ${cookieAttributes(request)}; Max-Age=${maxAgeSeconds}`);
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  reply.header('set-cookie', `${sessionCookieName}=; ${cookieAttributes(request)}; Max-Age=0`);
}

/**
 * The session a cookie-only request belongs to, CSRF-checked; undefined when it carries no
 * session cookie. An ended session clears the cookie on the way out and answers 401.
 */
export async function authenticateSessionRequest(request: FastifyRequest, reply: FastifyReply, sessions: WebSessionService): Promise<AuthenticatedSession | undefined> {
  const token = readSessionToken(request);
  if (token === undefined) return undefined;
  let session: AuthenticatedSession;
  try {
    session = await sessions.authenticate(token, request.ip);
  } catch (error) {
    if (error instanceof ModelmartError && error.status === 401) clearSessionCookie(request, reply);
    throw error;
  }
  checkCsrf(request, session);
  return session;
}
