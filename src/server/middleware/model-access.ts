// Which listed models a caller may use, for GET /v1/models: retired models are left out, and with
// a licence policy configured so are models whose licence refuses the organisation profile, so a client never picks
// a model that would answer 403 license_not_permitted, and models outside the key's scopes.
import { keyAllowsModel, type Principal } from '../../accounts/index.js';
import type { CatalogService } from '../../catalog/index.js';
import type { OrganisationProfile } from '../../config/index.js';
import type { ListedModel } from '../../routing/index.js';

export type ModelAccessFilter = (models: readonly ListedModel[], principal: Principal) => Promise<readonly ListedModel[]>;

/** Lists every model the key's scopes allow: no catalogue to refuse any. */
export const allowAllModels: ModelAccessFilter = (models, principal) => Promise.resolve(models.filter((model) => keyAllowsModel(principal, model.id)));

export function createModelAccessFilter(catalog: CatalogService | undefined, profile: OrganisationProfile | undefined): ModelAccessFilter {
  if (catalog === undefined) return allowAllModels;
  return async (allModels, principal) => {
    // A key scoped to some models sees only those (calls to others answer 403 model_not_allowed).
    const models = allModels.filter((model) => keyAllowsModel(principal, model.id));
    // The same verdict the gateway gives a request naming the model; its name index is cached, so this stays cheap.
    const verdicts = await Promise.all(models.map(async (model) => catalog.gatewayVerdict(model.id, profile)));
    // Left out: models the licence refuses this organisation, and models past their sunset (they answer 410).
    return models.filter((_model, index) => verdicts[index]?.license?.outcome !== 'denied' && verdicts[index]?.deprecation?.sunset !== true);
  };
}
