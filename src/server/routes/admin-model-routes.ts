// /admin/v1/models: create and update model cards, append a price version, deprecate with a
// sunset date. Cards are validated by the catalogue's zod schema; errors name the field.
import type { FastifyInstance } from 'fastify';
import { parseBody } from '../../api/index.js';
import { z } from 'zod';
import { benchmarkResultSchema, deprecationRequestSchema, huggingFaceImportSchema, importHuggingFaceCard, modelCardBodySchema, modelCardCreateSchema, priceVersionSchema, type CatalogService } from '../../catalog/index.js';

/** An import names its format; a body that is not what it claims is a 400 naming the field. */
const importRequestSchema = z.discriminatedUnion('format', [z.object({ format: z.literal('json'), card: modelCardCreateSchema }).strict(), huggingFaceImportSchema]);

export function registerAdminModelRoutes(app: FastifyInstance, catalog: CatalogService): void {
  app.post('/admin/v1/models', async (request, reply) => {
    const created = await catalog.create(parseBody(modelCardCreateSchema, request.body));
    return reply.code(201).send(created);
  });

  app.post('/admin/v1/models/import', async (request, reply) => {
    const imported = parseBody(importRequestSchema, request.body);
    const created = await catalog.create(imported.format === 'json' ? imported.card : importHuggingFaceCard(imported));
    return reply.code(201).send(created);
  });

  app.put<{ Params: { id: string } }>('/admin/v1/models/:id', async (request) => catalog.update(request.params.id, parseBody(modelCardBodySchema, request.body)));

  app.post<{ Params: { id: string } }>('/admin/v1/models/:id/prices', async (request, reply) => {
    // Without an effective date the new version takes effect now.
    const body: unknown = request.body;
    const withDefault = typeof body === 'object' && body !== null && !Array.isArray(body) && !('effective_from' in body) ? { ...body, effective_from: new Date().toISOString() } : body;
    const updated = await catalog.addPriceVersion(request.params.id, parseBody(priceVersionSchema, withDefault));
    return reply.code(201).send(updated);
  });

  app.post<{ Params: { id: string } }>('/admin/v1/models/:id/benchmarks', async (request, reply) => {
    const updated = await catalog.recordBenchmarkResult(request.params.id, parseBody(benchmarkResultSchema, request.body));
    return reply.code(201).send(updated);
  });

  app.post<{ Params: { id: string } }>('/admin/v1/models/:id/deprecate', async (request) => catalog.deprecate(request.params.id, parseBody(deprecationRequestSchema, request.body)));
}
