// Before a request is routed, asks the catalogue about the model it names: the organisation's
// licence policy (403 license_not_permitted quoting the clause, or the required attribution in
// a header) and deprecation (warning headers until the sunset date, 410 naming the replacement
// after it).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CatalogService } from '../../catalog/index.js';
import type { OrganisationProfile } from '../../config/index.js';
import { ModelmartError } from '../../core/index.js';

export function createLicensePolicyHook(catalog: CatalogService, profile: OrganisationProfile | undefined) {
  return async function checkCatalogue(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const body: unknown = request.body;
    if (request.method !== 'POST' || typeof body !== 'object' || body === null || !('model' in body) || typeof body.model !== 'string') return;
    const verdict = await catalog.gatewayVerdict(body.model, profile);
    if (verdict === undefined) return;
    const { deprecation, license } = verdict;
    if (deprecation !== null) {
      const instead = deprecation.replacement === null ? '' : ` Use '${deprecation.replacement}' instead.`;
      if (deprecation.sunset) {
        throw new ModelmartError(410, `The model '${verdict.modelId}' was retired on ${deprecation.sunsetDate ?? ''}.${instead}`, { type: 'invalid_request_error', code: 'model_retired', param: 'model' });
      }
      reply.header('deprecation', 'true');
      if (deprecation.sunsetDate !== null) reply.header('sunset', new Date(`${deprecation.sunsetDate}T23:59:59Z`).toUTCString());
      reply.header('x-modelmart-deprecation', `'${verdict.modelId}' is deprecated${deprecation.sunsetDate === null ? '' : ` and retires after ${deprecation.sunsetDate}`}.${instead}`);
    }
    if (license?.outcome === 'denied') {
      throw new ModelmartError(403, `The licence of '${verdict.modelId}' does not permit this organisation's use. ${license.clause}`, { code: 'license_not_permitted', param: 'model' });
    }
    if (license?.attribution !== undefined && license.attribution !== null) reply.header('x-license-attribution', license.attribution);
  };
}
