// What billing asks the catalogue on every request: the price in force for a gateway model name
// (a card id, a deployment's route, or a deployment's `<provider>/<model>`). Cards and their
// price versions are indexed by name in a snapshot checked in the background every few seconds,
// so pricing stays off the database and never waits for it.
import type { Logger } from '../core/index.js';
import { CatalogNameSnapshot } from './catalog-name-snapshot.js';
import { priceInForce } from './catalog-presentation.js';
import type { CatalogRepository } from './catalog-repository.js';
import type { PriceVersion } from './model-card-schema.js';

const cacheMilliseconds = 5_000;

export interface GatewayPrice {
  /** The catalogue card whose price applies. */
  readonly modelId: string;
  readonly price: PriceVersion;
}

interface PricedModel {
  readonly modelId: string;
  /** Oldest first. */
  readonly prices: readonly PriceVersion[];
}

export class CatalogPricingIndex {
  private readonly snapshot: CatalogNameSnapshot<Map<string, PricedModel>>;

  constructor(private readonly repository: CatalogRepository, logger?: Pick<Logger, 'error'>) {
    this.snapshot = new CatalogNameSnapshot({ build: async () => this.load(), version: async () => repository.version() }, cacheMilliseconds, logger);
  }

  private async load(): Promise<Map<string, PricedModel>> {
    const [models, prices] = await Promise.all([this.repository.list(), this.repository.allPrices()]);
    const index = new Map<string, PricedModel>();
    for (const model of models) {
      const priced: PricedModel = { modelId: model.card.id, prices: prices.get(model.card.id) ?? [] };
      for (const deployment of model.card.deployments) {
        if (deployment.route !== undefined) index.set(deployment.route, priced);
        if (deployment.provider !== undefined && deployment.model !== undefined) index.set(`${deployment.provider}/${deployment.model}`, priced);
      }
    }
    // A card's own id wins over a deployment name that happens to be the same (as in the licence gate).
    for (const model of models) index.set(model.card.id, { modelId: model.card.id, prices: prices.get(model.card.id) ?? [] });
    return index;
  }

  invalidate(): void {
    this.snapshot.invalidate();
  }

  /** The price version in force at `at` and its card; undefined when the name is unknown or has no price yet. */
  async priceFor(name: string, at: Date): Promise<GatewayPrice | undefined> {
    const model = (await this.snapshot.get()).get(name);
    if (model === undefined) return undefined;
    const price = priceInForce(model.prices, at.toISOString());
    return price === null ? undefined : { modelId: model.modelId, price };
  }
}
