// /store/v1/gpts: creating and editing GPTs, publishing versions, the GPT page, import and export.
// Thin: each route parses and calls GptService or GptExchange with the caller, which decide what
// it may see and change; every change is written to the audit log. Register inside a scope that
// authenticates an API key (the listing, GET /store/v1/gpts, is the store's).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { parseBody } from '../../api/index.js';
import { invalidRequest } from '../../core/index.js';
import { GptExchange, type CreateGptInput, type GptService, type ImportGptInput, type UpdateGptInput } from '../../gpts/index.js';
import { requirePrincipal } from '../middleware/authentication.js';
import { recordAdminChange } from './admin-audit-recording.js';

export interface StoreGptRouteOptions {
  readonly gpts: GptService;
  /** Default: one made from `gpts`. */
  readonly exchange?: GptExchange;
  /**
   * Whether to register GET /store/v1/gpts/{slug} (the page with the draft for editors). Off
   * where another module answers that path, since a path can be registered only once.
   */
  readonly registerPage?: boolean;
}

type SlugParams = { Params: { slug: string } };
type VersionParams = { Params: { slug: string; version: string } };

const exportQuerySchema = z.strictObject({ format: z.enum(['json', 'yaml']).default('json') });

function parseVersion(text: string): number {
  if (!/^[1-9][0-9]{0,8}$/.test(text)) throw invalidRequest(`The version must be a whole number from 1, got ${JSON.stringify(text)}.`, 'version', 'invalid_version');
  return Number(text);
}

export function registerStoreGptRoutes(app: FastifyInstance, options: StoreGptRouteOptions): void {
  const { gpts } = options;
  const exchange = options.exchange ?? new GptExchange(gpts);

  app.post('/store/v1/gpts', async (request, reply) => {
    // The service parses the body with its zod schema and names the bad field.
    const created = await gpts.create(request.body as CreateGptInput, requirePrincipal(request));
    await recordAdminChange(request, { action: 'gpt.create', targetType: 'gpt', targetId: created.id, after: created, organisationId: created.organisation_id });
    return reply.code(201).send(created);
  });

  app.post('/store/v1/gpts/import', async (request, reply) => {
    const body = parseBody(z.record(z.string(), z.unknown()), request.body);
    const created = await exchange.importGpt(body as ImportGptInput, requirePrincipal(request));
    await recordAdminChange(request, { action: 'gpt.import', targetType: 'gpt', targetId: created.id, after: created, organisationId: created.organisation_id });
    return reply.code(201).send(created);
  });

  // The builder's list: every live GPT the key may edit, drafts never published included (the
  // store listing shows published GPTs only). Under /builders/me so no slug can shadow it.
  app.get('/store/v1/builders/me/gpts', async (request) => ({ object: 'list', data: await gpts.listEditable(requirePrincipal(request)) }));
  // One of them, by id or slug, published or not (the store's page opens published GPTs by slug).
  app.get<SlugParams>('/store/v1/builders/me/gpts/:slug', async (request) => gpts.requireEditable(request.params.slug, requirePrincipal(request)));

  if (options.registerPage !== false) {
    app.get<SlugParams>('/store/v1/gpts/:slug', async (request) => gpts.getPage(request.params.slug, requirePrincipal(request)));
  }

  app.patch<SlugParams>('/store/v1/gpts/:slug', async (request) => {
    const principal = requirePrincipal(request);
    const body = parseBody(z.record(z.string(), z.unknown()), request.body);
    const before = await gpts.get(request.params.slug, principal);
    const after = await gpts.update(request.params.slug, body as UpdateGptInput, principal);
    await recordAdminChange(request, { action: 'gpt.update', targetType: 'gpt', targetId: after.id, before, after, organisationId: after.organisation_id });
    return after;
  });

  app.delete<SlugParams>('/store/v1/gpts/:slug', async (request) => {
    const deleted = await gpts.delete(request.params.slug, requirePrincipal(request));
    await recordAdminChange(request, { action: 'gpt.delete', targetType: 'gpt', targetId: deleted.id, before: deleted, organisationId: deleted.organisation_id });
    return { object: 'gpt.deleted', id: deleted.id, slug: deleted.slug, deleted: true };
  });

  app.post<SlugParams>('/store/v1/gpts/:slug/publish', async (request, reply) => {
    const principal = requirePrincipal(request);
    const gpt = await gpts.get(request.params.slug, principal);
    const published = await gpts.publish(gpt.id, principal);
    await recordAdminChange(request, { action: 'gpt.publish', targetType: 'gpt', targetId: gpt.id, after: published, organisationId: gpt.organisation_id });
    return reply.code(201).send(published);
  });

  app.get<SlugParams>('/store/v1/gpts/:slug/versions', async (request) => ({
    object: 'list',
    data: await gpts.listVersions(request.params.slug, requirePrincipal(request)),
  }));

  app.get<VersionParams>('/store/v1/gpts/:slug/versions/:version', async (request) =>
    gpts.getVersion(request.params.slug, parseVersion(request.params.version), requirePrincipal(request)),
  );

  app.get<SlugParams>('/store/v1/gpts/:slug/export', async (request, reply) => {
    const { format } = parseBody(exportQuerySchema, request.query);
    const exported = await exchange.exportGpt(request.params.slug, format, requirePrincipal(request));
    return reply
      .type(exported.contentType)
      .header('content-disposition', `attachment; filename="${exported.document.slug ?? 'gpt'}.gpt.${format}"`)
      .send(exported.text);
  });
}
