// What the gateway asks the catalogue before routing a request: finds the card a model name
// stands for (a card id, a deployment's route, or a deployment's `<provider>/<model>`), applies
// the licence policy, and reports deprecation. The name index is a snapshot checked against the
// catalogue's version in the background every few seconds (rebuilt when it changed), so the check
// stays off the database and never waits for it.
import type { OrganisationProfile } from '../config/index.js';
import type { Logger } from '../core/index.js';
import { CatalogNameSnapshot } from './catalog-name-snapshot.js';
import { resolveLicenseTerms } from './catalog-presentation.js';
import type { CatalogRepository, StoredModel } from './catalog-repository.js';
import { evaluateLicense, type LicenseDecision } from './license-policy.js';

const cacheMilliseconds = 5_000;

export interface GatewayVerdict {
  readonly modelId: string;
  /** Absent when no organisation profile is configured. */
  readonly license?: LicenseDecision;
  readonly deprecation: { readonly sunsetDate: string | null; readonly replacement: string | null; readonly sunset: boolean } | null;
}

export class CatalogLicenseGate {
  private readonly snapshot: CatalogNameSnapshot<Map<string, StoredModel>>;

  constructor(private readonly repository: CatalogRepository, logger?: Pick<Logger, 'error'>) {
    this.snapshot = new CatalogNameSnapshot({ build: async () => this.modelsByName(), version: async () => repository.version() }, cacheMilliseconds, logger);
  }

  private async modelsByName(): Promise<Map<string, StoredModel>> {
    const index = new Map<string, StoredModel>();
    const models = await this.repository.list();
    for (const model of models) {
      for (const deployment of model.card.deployments) {
        if (deployment.route !== undefined) index.set(deployment.route, model);
        if (deployment.provider !== undefined && deployment.model !== undefined) index.set(`${deployment.provider}/${deployment.model}`, model);
      }
    }
    // A card's own id wins over a deployment name that happens to be the same.
    for (const model of models) index.set(model.card.id, model);
    return index;
  }

  /** Forgets the index, so this server sees its own changes at once (others within the cache time). */
  invalidate(): void {
    this.snapshot.invalidate();
  }

  /** The verdict for a model name; models the catalogue does not list are not its to judge. */
  async judge(modelName: string, profile: OrganisationProfile | undefined, today: string): Promise<GatewayVerdict | undefined> {
    const model = (await this.snapshot.get()).get(modelName);
    if (model === undefined) return undefined;
    const { card } = model;
    return {
      modelId: card.id,
      ...(profile === undefined ? {} : { license: evaluateLicense(card.license.id, resolveLicenseTerms(card.license), profile) }),
      deprecation:
        model.deprecatedAt === null ? null : { sunsetDate: model.sunsetDate, replacement: model.replacement, sunset: model.sunsetDate !== null && model.sunsetDate < today },
    };
  }
}
