// What metering looks up for every request and may reuse for a moment: an organisation's terms
// (account, plan, budgets) and the catalogue's prices. Both keep the hot path off the database.
import type { CatalogService, GatewayPrice } from '../catalog/index.js';
import type { Logger } from '../core/index.js';
import type { MeteringRepository, OrganisationTerms } from './billing-metering-repository.js';

interface CachedTerms {
  terms: OrganisationTerms;
  loadedAt: number;
  reloading?: Promise<void> | undefined;
}

export class OrganisationTermsCache {
  private readonly terms = new Map<string, CachedTerms>();
  private readonly firstLoads = new Map<string, Promise<OrganisationTerms>>();

  constructor(
    private readonly repository: MeteringRepository,
    private readonly maxAgeMilliseconds: number,
    private readonly logger: Pick<Logger, 'error'>,
  ) {}

  async get(organisationId: string): Promise<OrganisationTerms> {
    const known = this.cached(organisationId);
    if (known !== undefined) return known;
    // Requests arriving together for an organisation not seen yet share one load.
    let loading = this.firstLoads.get(organisationId);
    if (loading === undefined) {
      loading = this.repository.organisationTerms(organisationId).finally(() => this.firstLoads.delete(organisationId));
      this.firstLoads.set(organisationId, loading);
    }
    const terms = await loading;
    if (!this.terms.has(organisationId)) this.terms.set(organisationId, { terms, loadedAt: Date.now() });
    return terms;
  }

  /** The cached terms without waiting (the request path's usual case); undefined when not loaded yet (then get). */
  cached(organisationId: string): OrganisationTerms | undefined {
    const cached = this.terms.get(organisationId);
    if (cached === undefined) return undefined;
    // Stale terms are used once more while fresh ones load, so the hot path never waits on them.
    if (Date.now() - cached.loadedAt > this.maxAgeMilliseconds && cached.reloading === undefined) {
      cached.reloading = this.repository
        .organisationTerms(organisationId)
        .then((terms) => this.terms.set(organisationId, { terms, loadedAt: Date.now() }))
        .catch((error: unknown) => this.logger.error({ err: error, organisationId }, 'billing: reloading an organisation failed'))
        .then(() => undefined);
    }
    return cached.terms;
  }

  /** Drops an organisation's terms; returns what was cached, if anything. */
  forget(organisationId: string): OrganisationTerms | undefined {
    const cached = this.terms.get(organisationId);
    this.terms.delete(organisationId);
    return cached?.terms;
  }
}

// How long a looked-up price is reused (the second it was looked up in).
const priceMemoryMilliseconds = 1_000;

/**
 * The catalogue's price for a name, remembered for a second: a request looks prices up three
 * times (each planned target and the public name to hold, the answering deployment to settle),
 * and the catalogue's own cache already lets a price change take a few seconds to apply.
 */
export class RememberedPrices {
  private readonly prices = new Map<string, { readonly price: GatewayPrice; readonly from: number; readonly lookedUpAt: number }>();

  constructor(private readonly catalog: CatalogService) {}

  /** The remembered price, without waiting; undefined when it must be looked up (priceFor). */
  remembered(name: string, time: number): GatewayPrice | undefined {
    const cached = this.prices.get(name);
    // Only within the second of `at` it was looked up for (a price taking effect is seen on time),
    // and for at most a second of real time (a price changed in the catalogue is seen soon).
    if (cached === undefined || time < cached.from || time >= cached.from + priceMemoryMilliseconds) return undefined;
    return performance.now() - cached.lookedUpAt < priceMemoryMilliseconds ? cached.price : undefined;
  }

  async priceFor(name: string, at: Date): Promise<GatewayPrice | undefined> {
    const time = at.getTime();
    const remembered = this.remembered(name, time);
    if (remembered !== undefined) return remembered;
    const price = await this.catalog.priceForGatewayModel(name, at);
    // A name without a price is asked again each time: a card priced just now applies at once.
    if (price === undefined) return undefined;
    if (this.prices.size > 10_000) this.prices.clear();
    this.prices.set(name, { price, from: time - (time % priceMemoryMilliseconds), lookedUpAt: performance.now() });
    return price;
  }

  /** The first of the names that has a price. */
  async priceOf(names: readonly string[], at: Date): Promise<GatewayPrice | undefined> {
    // The usual case, every name remembered or the first priced, answers without a lookup.
    const time = at.getTime();
    const first = names[0] === undefined ? undefined : this.remembered(names[0], time);
    if (first !== undefined) return first;
    for (const name of names) {
      const price = await this.priceFor(name, at);
      if (price !== undefined) return price;
    }
    return undefined;
  }
}
