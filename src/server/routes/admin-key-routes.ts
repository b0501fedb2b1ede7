// /admin/v1/keys: create (the key is shown once), list and revoke API keys.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { keyRoleSchema, type ApiKeyService } from '../../accounts/index.js';
import { parseBody } from '../../api/index.js';

export const createKeyRequestSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  role: keyRoleSchema.default('user'),
});

const listKeysQuerySchema = z.object({ include_revoked: z.enum(['true', 'false']).optional() });

export function registerAdminKeyRoutes(app: FastifyInstance, apiKeys: ApiKeyService): void {
  app.get('/admin/v1/keys', async (request) => {
    const query = listKeysQuerySchema.parse(request.query);
    const keys = await apiKeys.listKeys({ includeRevoked: query.include_revoked === 'true' });
    return { object: 'list', data: keys.map((key) => ({ object: 'api_key', ...key })) };
  });

  app.post('/admin/v1/keys', async (request, reply) => {
    const input = parseBody(createKeyRequestSchema, request.body);
    const created = await apiKeys.createKey(input);
    return reply.code(201).send({ object: 'api_key', ...created.record, key: created.key });
  });

  app.delete<{ Params: { id: string } }>('/admin/v1/keys/:id', async (request) => {
    const revoked = await apiKeys.revokeKey(request.params.id);
    return { object: 'api_key', ...revoked };
  });
}
