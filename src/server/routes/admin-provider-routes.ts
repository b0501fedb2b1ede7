// /admin/v1/providers/health: passive health and circuit-breaker state of every deployment.
import type { FastifyInstance } from 'fastify';
import type { Router } from '../../routing/index.js';

export function registerAdminProviderRoutes(app: FastifyInstance, router: Router): void {
  app.get('/admin/v1/providers/health', async () => ({ object: 'list', data: router.healthSnapshot() }));
}
