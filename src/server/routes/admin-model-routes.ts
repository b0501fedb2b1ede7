// /admin/v1/models: create and update model cards, append a price version, deprecate with a
// sunset date. Cards are validated by the catalogue's zod schema; errors name the field.
import type { FastifyInstance } from 'fastify';
import { parseBody } from '../../api/index.js';
import { z } from 'zod';
import { benchmarkResultSchema, deprecationRequestSchema, huggingFaceImportSchema, importHuggingFaceCard, modelCardBodySchema, modelCardCreateSchema, priceVersionSchema, type CatalogService } from '../../catalog/index.js';
import { ModelmartError } from '../../core/index.js';
import { recordAdminChange } from './admin-audit-recording.js';

/** An import names its format; a body that is not what it claims is a 400 naming the field. */
const importRequestSchema = z.discriminatedUnion('format', [z.object({ format: z.literal('json'), card: modelCardCreateSchema }).strict(), huggingFaceImportSchema]);

/** The card as it is before a change, for the audit log; null when absent (the change itself then answers 404). */
async function cardBefore(catalog: CatalogService, id: string): Promise<unknown> {
  return catalog.get(id).catch((error: unknown) => {
    if (error instanceof ModelmartError && error.status === 404) return null;
    throw error;
  });
}

export function registerAdminModelRoutes(app: FastifyInstance, catalog: CatalogService): void {
  app.post('/admin/v1/models', async (request, reply) => {
    const created = await catalog.create(parseBody(modelCardCreateSchema, request.body));
    await recordAdminChange(request, { action: 'model.create', targetType: 'model', targetId: created.id, after: created });
    return reply.code(201).send(created);
  });

  app.post('/admin/v1/models/import', async (request, reply) => {
    const imported = parseBody(importRequestSchema, request.body);
    const created = await catalog.create(imported.format === 'json' ? imported.card : importHuggingFaceCard(imported));
    await recordAdminChange(request, { action: 'model.import', targetType: 'model', targetId: created.id, after: created });
    return reply.code(201).send(created);
  });

  app.put<{ Params: { id: string } }>('/admin/v1/models/:id', async (request) => {
    const body = parseBody(modelCardBodySchema, request.body);
    const before = await cardBefore(catalog, request.params.id);
    const updated = await catalog.update(request.params.id, body);
    await recordAdminChange(request, { action: 'model.update', targetType: 'model', targetId: updated.id, before, after: updated });
    return updated;
  });

  app.post<{ Params: { id: string } }>('/admin/v1/models/:id/prices', async (request, reply) => {
    // Without an effective date the new version takes effect now.
    const body: unknown = request.body;
    const takeEffectNow = typeof body === 'object' && body !== null && !Array.isArray(body) && !('effective_from' in body);
    const price = parseBody(priceVersionSchema, takeEffectNow ? { ...body, effective_from: new Date().toISOString() } : body);
    const updated = await catalog.addPriceVersion(request.params.id, price, { takeEffectNow });
    await recordAdminChange(request, { action: 'model.price.add', targetType: 'model', targetId: updated.id, after: price });
    return reply.code(201).send(updated);
  });

  app.post<{ Params: { id: string } }>('/admin/v1/models/:id/benchmarks', async (request, reply) => {
    const result = parseBody(benchmarkResultSchema, request.body);
    const updated = await catalog.recordBenchmarkResult(request.params.id, result);
    await recordAdminChange(request, { action: 'model.benchmark.record', targetType: 'model', targetId: updated.id, after: result });
    return reply.code(201).send(updated);
  });

  app.post<{ Params: { id: string } }>('/admin/v1/models/:id/deprecate', async (request) => {
    const deprecation = parseBody(deprecationRequestSchema, request.body);
    const before = await cardBefore(catalog, request.params.id);
    const updated = await catalog.deprecate(request.params.id, deprecation);
    await recordAdminChange(request, { action: 'model.deprecate', targetType: 'model', targetId: updated.id, before, after: updated });
    return updated;
  });
}
