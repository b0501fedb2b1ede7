// /store/v1/gpts/{slug}/reviews and /reports: ratings and reviews (only from someone who has used
// the GPT) and reports for the moderation queue. Reading reviews needs no key where the store is
// public; rating and reporting do.
import type { FastifyInstance } from 'fastify';
import type { ApiKeyService } from '../../accounts/index.js';
import type { WebSessionService } from '../../accounts/web-session-service.js';
import type { GptStore } from '../../gpts/index.js';
import { createOptionalStoreAuthentication, requireStorePrincipal } from './store-gpt-listing-routes.js';

type SlugParams = { Params: { slug: string } };

export function registerStoreGptReviewRoutes(app: FastifyInstance, store: GptStore, apiKeys: ApiKeyService, sessions?: WebSessionService): void {
  const onRequest = createOptionalStoreAuthentication(apiKeys, sessions);

  app.get<SlugParams>('/store/v1/gpts/:slug/reviews', { onRequest }, async (request) =>
    store.ratings.reviews(request.params.slug, request.query as Record<string, unknown>, request.principal),
  );

  app.post<SlugParams>('/store/v1/gpts/:slug/reviews', { onRequest }, async (request, reply) => {
    const rating = await store.ratings.rate(request.params.slug, request.body, requireStorePrincipal(request, 'rate a GPT'));
    return reply.code(rating.updated ? 200 : 201).send(rating);
  });

  app.post<SlugParams>('/store/v1/gpts/:slug/reports', { onRequest }, async (request, reply) => {
    const report = await store.moderation.report(request.params.slug, request.body, requireStorePrincipal(request, 'report a GPT'));
    return reply.code(201).send(report);
  });
}
