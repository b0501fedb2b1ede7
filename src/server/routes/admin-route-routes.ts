// /admin/v1/routes: list, create or replace, and delete routes (fallback, weighted, canary,
// least-latency) at run time; every server on the database picks the change up.
import type { FastifyInstance } from 'fastify';
import { parseBody } from '../../api/index.js';
import { routeDefinitionSchema, type RouteAdministration, type StoredRoute } from '../../routing/index.js';
import { requirePrincipal } from '../middleware/authentication.js';
import { recordAdminChange } from './admin-audit-recording.js';

function present(entry: StoredRoute): Record<string, unknown> {
  return {
    object: 'route',
    ...entry.route,
    source: entry.source,
    ...(entry.updatedAt === undefined ? {} : { updated_at: entry.updatedAt, updated_by: entry.updatedBy }),
  };
}

export function registerAdminRouteRoutes(app: FastifyInstance, routes: RouteAdministration): void {
  app.get('/admin/v1/routes', async () => ({ object: 'list', data: routes.list().map(present) }));

  app.put<{ Params: { model: string } }>('/admin/v1/routes/:model', async (request) => {
    const definition = parseBody(routeDefinitionSchema, request.body);
    const before = routes.list().find((entry) => entry.route.model === request.params.model);
    const stored = present(await routes.put(request.params.model, definition, requirePrincipal(request).keyId));
    await recordAdminChange(request, { action: before === undefined ? 'route.create' : 'route.update', targetType: 'route', targetId: request.params.model, before: before === undefined ? null : present(before), after: stored });
    return stored;
  });

  app.delete<{ Params: { model: string } }>('/admin/v1/routes/:model', async (request) => {
    const before = routes.list().find((entry) => entry.route.model === request.params.model);
    await routes.remove(request.params.model);
    await recordAdminChange(request, { action: 'route.delete', targetType: 'route', targetId: request.params.model, before: before === undefined ? null : present(before) });
    return { object: 'route', model: request.params.model, deleted: true };
  });
}
