// /admin/v1/providers/{id}/credential: store (encrypted at rest), inspect and delete a provider's
// API key. A stored key overrides the configured one at once; no response ever contains it.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { CredentialVault } from '../../accounts/index.js';
import { parseBody } from '../../api/index.js';
import { permissionDenied } from '../../core/index.js';
import { requirePrincipal } from '../middleware/authentication.js';
import { recordAdminChange } from './admin-audit-recording.js';

export const storeCredentialRequestSchema = z.strictObject({ api_key: z.string() });

/** Provider keys serve every organisation: only installation admins manage them, even where organisation admins reach /admin/v1. */
function installationAdminKeyId(request: FastifyRequest): string {
  const principal = requirePrincipal(request);
  if (principal.role !== 'admin') throw permissionDenied('Only an installation admin key may manage provider credentials.', 'admin_required');
  return principal.keyId;
}

export function registerAdminCredentialRoutes(app: FastifyInstance, credentials: CredentialVault): void {
  app.get<{ Params: { id: string } }>('/admin/v1/providers/:id/credential', async (request) => {
    installationAdminKeyId(request);
    return credentials.status(request.params.id);
  });

  app.put<{ Params: { id: string } }>('/admin/v1/providers/:id/credential', async (request) => {
    const actorKeyId = installationAdminKeyId(request);
    const providerId = request.params.id;
    const before = await credentials.status(providerId);
    const body = parseBody(storeCredentialRequestSchema, request.body);
    const after = await credentials.set(providerId, body.api_key, actorKeyId);
    await recordAdminChange(request, {
      action: before.configured ? 'provider.credential.update' : 'provider.credential.create',
      targetType: 'provider_credential',
      targetId: providerId,
      before: before.configured ? before : null,
      after,
    });
    return after;
  });

  app.delete<{ Params: { id: string } }>('/admin/v1/providers/:id/credential', async (request) => {
    installationAdminKeyId(request);
    const providerId = request.params.id;
    const removed = await credentials.remove(providerId);
    await recordAdminChange(request, { action: 'provider.credential.delete', targetType: 'provider_credential', targetId: providerId, before: removed });
    return { object: 'provider_credential', provider: providerId, configured: false, deleted: true };
  });
}
