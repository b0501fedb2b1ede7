// /admin/v1/keys: create (the key is shown once), list and revoke API keys. Installation admins
// reach every organisation's keys; organisation owners and admins only their own organisation's.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { createKeyInputSchema, type ApiKeyService } from '../../accounts/index.js';
import { parseBody } from '../../api/index.js';
import { requirePrincipal } from '../middleware/authentication.js';
import { recordAdminChange } from './admin-audit-recording.js';

export const createKeyRequestSchema = createKeyInputSchema;

const listKeysQuerySchema = z.object({
  include_revoked: z.enum(['true', 'false']).optional(),
  organisation_id: z.string().min(1).optional(),
  project_id: z.string().min(1).optional(),
});

export function registerAdminKeyRoutes(app: FastifyInstance, apiKeys: ApiKeyService): void {
  app.get('/admin/v1/keys', async (request) => {
    const query = parseBody(listKeysQuerySchema, request.query);
    const keys = await apiKeys.listKeys(
      {
        includeRevoked: query.include_revoked === 'true',
        ...(query.organisation_id === undefined ? {} : { organisationId: query.organisation_id }),
        ...(query.project_id === undefined ? {} : { projectId: query.project_id }),
      },
      requirePrincipal(request),
    );
    return { object: 'list', data: keys.map((key) => ({ object: 'api_key', ...key })) };
  });

  app.post('/admin/v1/keys', async (request, reply) => {
    const input = parseBody(createKeyRequestSchema, request.body);
    const created = await apiKeys.createKey(input, requirePrincipal(request));
    await recordAdminChange(request, { action: 'key.create', targetType: 'api_key', targetId: created.record.id, after: created.record, organisationId: created.record.organisation_id });
    return reply.code(201).send({ object: 'api_key', ...created.record, key: created.key });
  });

  app.delete<{ Params: { id: string } }>('/admin/v1/keys/:id', async (request) => {
    const principal = requirePrincipal(request);
    // The key as it was, for the audit log; revoking an already revoked key changes nothing and records nothing.
    const before = (await apiKeys.listKeys({ includeRevoked: true }, principal)).find((key) => key.id === request.params.id);
    const revoked = await apiKeys.revokeKey(request.params.id, principal);
    if (before?.revoked_at === null) {
      await recordAdminChange(request, { action: 'key.revoke', targetType: 'api_key', targetId: revoked.id, before, after: revoked, organisationId: revoked.organisation_id });
    }
    return { object: 'api_key', ...revoked };
  });
}
