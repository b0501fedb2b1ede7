// /store/v1: the public catalogue. Search with filters, sort and cursor pages; one card with
// its price history; a side-by-side comparison. Readable without an API key.
import type { FastifyInstance } from 'fastify';
import type { CatalogService } from '../../catalog/index.js';
import { invalidRequest } from '../../core/index.js';

export function registerStoreModelRoutes(app: FastifyInstance, catalog: CatalogService): void {
  app.get('/store/v1/models', async (request) => {
    const page = await catalog.search(request.query);
    return { object: 'list', data: page.data, has_more: page.hasMore, next_cursor: page.nextCursor };
  });

  app.get<{ Params: { id: string } }>('/store/v1/models/:id', async (request) => catalog.get(request.params.id));

  app.get<{ Params: { id: string }; Querystring: Record<string, unknown> }>('/store/v1/models/:id/export', async (request, reply) => {
    const format = request.query.format ?? 'json';
    if (format === 'json') return catalog.exportJson(request.params.id);
    if (format !== 'huggingface') throw invalidRequest("'format' must be json or huggingface.", 'format', 'invalid_format');
    return reply.type('text/markdown; charset=utf-8').send(await catalog.exportHuggingFace(request.params.id));
  });

  app.get<{ Querystring: Record<string, unknown> }>('/store/v1/compare', async (request) => {
    const { ids, ...rest } = request.query;
    const unknown = Object.keys(rest)[0];
    if (unknown !== undefined) throw invalidRequest(`Unknown parameter '${unknown}'; compare takes only 'ids'.`, unknown, 'unknown_filter');
    if (typeof ids !== 'string' || ids.trim() === '') throw invalidRequest("Give the models to compare as 'ids', separated by commas.", 'ids', 'missing_ids');
    return catalog.compare(ids.split(',').map((id) => id.trim()).filter((id) => id !== ''));
  });
}
