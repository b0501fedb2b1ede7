// GET /store/v1/leaderboard: measured and published benchmark scores side by side, per model,
// with the store's filters (open_weights, prices, licence…), sorted by one benchmark, cursor pages.
import type { FastifyInstance } from 'fastify';
import type { CatalogService } from '../../catalog/index.js';
import { buildLeaderboard } from '../../evals/index.js';

export function registerStoreLeaderboardRoutes(app: FastifyInstance, catalog: CatalogService): void {
  app.get<{ Querystring: Record<string, unknown> }>('/store/v1/leaderboard', async (request) => buildLeaderboard(catalog, request.query));
}
