// Checks the organisation's profile against the licence of the model a request names, before
// the request is routed: 403 license_not_permitted quoting the clause, or a header carrying the
// attribution the licence requires.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CatalogService } from '../../catalog/index.js';
import type { OrganisationProfile } from '../../config/index.js';
import { ModelmartError } from '../../core/index.js';

export function createLicensePolicyHook(catalog: CatalogService, profile: OrganisationProfile) {
  return async function checkLicense(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const body: unknown = request.body;
    if (request.method !== 'POST' || typeof body !== 'object' || body === null || !('model' in body) || typeof body.model !== 'string') return;
    const decision = await catalog.licenseDecision(body.model, profile);
    if (decision === undefined) return;
    if (decision.outcome === 'denied') {
      throw new ModelmartError(403, `The licence of '${decision.modelId}' does not permit this organisation's use. ${decision.clause}`, { code: 'license_not_permitted', param: 'model' });
    }
    if (decision.attribution !== null) reply.header('x-license-attribution', decision.attribution);
  };
}
