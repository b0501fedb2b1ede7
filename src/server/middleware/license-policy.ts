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
    // A GPT is checked by its base model once the runner has resolved it (applyCatalogueVerdict with the GPT named).
    if (body.model.startsWith('gpt:')) return;
    await applyCatalogueVerdict(catalog, profile, body.model, reply);
  };
}

/**
 * The catalogue's verdict on one model, applied to the reply: 410 after a sunset, deprecation
 * headers before it, 403 license_not_permitted quoting the clause, the attribution header. With
 * `gptSlug`, the model is that GPT's base model and the refusal names the GPT.
 */
export async function applyCatalogueVerdict(catalog: CatalogService, profile: OrganisationProfile | undefined, model: string, reply: Pick<FastifyReply, 'header'>, gptSlug?: string): Promise<void> {
  const verdict = await catalog.gatewayVerdict(model, profile);
  if (verdict === undefined) return;
  const { deprecation, license } = verdict;
  const subject = gptSlug === undefined ? `The model '${verdict.modelId}'` : `The GPT '${gptSlug}' runs on the model '${verdict.modelId}', which`;
  if (deprecation !== null) {
    const instead = deprecation.replacement === null ? '' : ` Use '${deprecation.replacement}' instead.`;
    if (deprecation.sunset) {
      throw new ModelmartError(410, `${subject} was retired on ${deprecation.sunsetDate ?? ''}.${instead}`, { type: 'invalid_request_error', code: 'model_retired', param: 'model' });
    }
    reply.header('deprecation', 'true');
    if (deprecation.sunsetDate !== null) reply.header('sunset', new Date(`${deprecation.sunsetDate}T23:59:59Z`).toUTCString());
    reply.header('x-modelmart-deprecation', `'${verdict.modelId}' is deprecated${deprecation.sunsetDate === null ? '' : ` and retires after ${deprecation.sunsetDate}`}.${instead}`);
  }
  if (license?.outcome === 'denied') {
    const refusal = gptSlug === undefined ? `The licence of '${verdict.modelId}' does not permit this organisation's use.` : `The GPT '${gptSlug}' runs on the model '${verdict.modelId}', whose licence does not permit this organisation's use.`;
    throw new ModelmartError(403, `${refusal} ${license.clause}`, { code: 'license_not_permitted', param: 'model' });
  }
  if (license?.attribution !== undefined && license.attribution !== null) reply.header('x-license-attribution', license.attribution);
}
