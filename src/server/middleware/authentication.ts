// Bearer-key authentication for /v1 and /admin/v1 (or the web app's session cookie, which stands
// for a key): the key becomes request.principal. The client address goes along so a key's IP
// allow list is enforced on every call.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { mayManageOrganisation, type ApiKeyService, type Principal } from '../../accounts/index.js';
import type { WebSessionService } from '../../accounts/web-session-service.js';
import { permissionDenied } from '../../core/index.js';
import { authenticateSessionRequest } from './session-authentication.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | undefined;
  }
}

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  return match?.[1]?.trim();
}

export interface AuthenticationOptions {
  /** Only installation admin keys get in (unless organisation managers are let in too). */
  readonly adminOnly: boolean;
  /** Also let in keys of organisation owners and admins; the routes then scope them to their organisation. */
  readonly organisationManagers?: boolean;
  /** Web sessions: a request without an Authorization header but with the session cookie is authenticated as the session's key (CSRF-checked). */
  readonly sessions?: WebSessionService;
}

export function createAuthenticationHook(apiKeys: ApiKeyService, options: AuthenticationOptions) {
  const { sessions } = options;
  return async function authenticate(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    // Bearer requests (the gateway's hot path) skip the cookie entirely: one header lookup is all it costs them.
    const session = sessions !== undefined && request.headers.authorization === undefined ? await authenticateSessionRequest(request, reply, sessions) : undefined;
    const principal = session?.principal ?? (await apiKeys.authenticate(bearerToken(request), { clientIp: request.ip }));
    if (options.adminOnly && options.organisationManagers === true) {
      if (!mayManageOrganisation(principal)) {
        throw permissionDenied(`This endpoint needs an installation admin key or the key of an organisation owner or admin; this key's role is ${principal.organisationRole}.`);
      }
    } else if (options.adminOnly) {
      apiKeys.requireAdmin(principal);
    }
    request.principal = principal;
  };
}

export function requirePrincipal(request: FastifyRequest): Principal {
  if (request.principal === undefined) throw new Error('route registered without the authentication hook');
  return request.principal;
}
