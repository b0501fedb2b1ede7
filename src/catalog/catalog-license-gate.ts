// Finds the card a gateway model name stands for (a card id, a deployment's route, or a
// deployment's `<provider>/<model>`) and applies the licence policy to it. The name index is
// cached briefly so the check stays off the database on most requests.
import type { OrganisationProfile } from '../config/index.js';
import { resolveLicenseTerms } from './catalog-presentation.js';
import type { CatalogRepository } from './catalog-repository.js';
import { evaluateLicense, type LicenseDecision } from './license-policy.js';
import type { ModelCardBody } from './model-card-schema.js';

const cacheMilliseconds = 5_000;

export class CatalogLicenseGate {
  private index: Map<string, ModelCardBody> | undefined;
  private loadedAt = 0;

  constructor(private readonly repository: CatalogRepository) {}

  private async cardsByName(): Promise<Map<string, ModelCardBody>> {
    if (this.index !== undefined && Date.now() - this.loadedAt < cacheMilliseconds) return this.index;
    const index = new Map<string, ModelCardBody>();
    const models = await this.repository.list();
    for (const { card } of models) {
      for (const deployment of card.deployments) {
        if (deployment.route !== undefined) index.set(deployment.route, card);
        if (deployment.provider !== undefined && deployment.model !== undefined) index.set(`${deployment.provider}/${deployment.model}`, card);
      }
    }
    // A card's own id wins over a deployment name that happens to be the same.
    for (const { card } of models) index.set(card.id, card);
    this.index = index;
    this.loadedAt = Date.now();
    return index;
  }

  /** The decision for a model name; models the catalogue does not list are not its to refuse. */
  async decide(modelName: string, profile: OrganisationProfile): Promise<(LicenseDecision & { readonly modelId: string }) | undefined> {
    const card = (await this.cardsByName()).get(modelName);
    if (card === undefined) return undefined;
    return { ...evaluateLicense(card.license.id, resolveLicenseTerms(card.license), profile), modelId: card.id };
  }
}
