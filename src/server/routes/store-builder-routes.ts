// /store/v1/builders: builder profiles (a builder is an organisation) and the verification of
// its domains by a well-known file or a DNS TXT record; a builder's public page with its GPTs.
import type { FastifyInstance } from 'fastify';
import type { ApiKeyService } from '../../accounts/index.js';
import type { WebSessionService } from '../../accounts/web-session-service.js';
import type { GptStore } from '../../gpts/index.js';
import { createOptionalStoreAuthentication, requireStorePrincipal } from './store-gpt-listing-routes.js';

type DomainParams = { Params: { domain: string } };
type BuilderParams = { Params: { organisationId: string } };

export function registerStoreBuilderRoutes(app: FastifyInstance, store: GptStore, apiKeys: ApiKeyService, sessions?: WebSessionService): void {
  const onRequest = createOptionalStoreAuthentication(apiKeys, sessions);

  app.get('/store/v1/builders/me', { onRequest }, async (request) => store.builders.own(requireStorePrincipal(request, "read your organisation's builder profile")));

  app.put('/store/v1/builders/me', { onRequest }, async (request) => store.builders.update(requireStorePrincipal(request, "edit your organisation's builder profile"), request.body));

  app.post('/store/v1/builders/me/domains', { onRequest }, async (request, reply) => {
    const claim = await store.builders.addDomain(requireStorePrincipal(request, 'claim a domain'), request.body);
    return reply.code(201).send(claim);
  });

  app.post<DomainParams>('/store/v1/builders/me/domains/:domain/verify', { onRequest }, async (request) =>
    store.builders.verifyDomain(requireStorePrincipal(request, 'verify a domain'), request.params.domain, request.body ?? {}),
  );

  app.get<BuilderParams>('/store/v1/builders/:organisationId', { onRequest }, async (request) => {
    const profile = await store.builders.profile(request.params.organisationId);
    return { ...profile, gpts: await store.listing.publicGptsOf(profile.organisation_id) };
  });
}
