// Bearer-key authentication for /v1 and /admin/v1: the key becomes request.principal.
import type { FastifyRequest } from 'fastify';
import type { ApiKeyService, Principal } from '../../accounts/index.js';

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

export function createAuthenticationHook(apiKeys: ApiKeyService, options: { readonly adminOnly: boolean }) {
  return async function authenticate(request: FastifyRequest): Promise<void> {
    const principal = await apiKeys.authenticate(bearerToken(request));
    if (options.adminOnly) apiKeys.requireAdmin(principal);
    request.principal = principal;
  };
}

export function requirePrincipal(request: FastifyRequest): Principal {
  if (request.principal === undefined) throw new Error('route registered without the authentication hook');
  return request.principal;
}
