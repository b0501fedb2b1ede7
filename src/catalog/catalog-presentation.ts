// How a stored card is shown: the card with its computed facts (MOF class, open weights,
// resolved licence terms, the price in force) and its deprecation.
import { lookupLicense, type LicenseTerms } from './license-registry.js';
import type { ModelCardBody, PriceVersion } from './model-card-schema.js';
import { computeMofClass, hasOpenWeights, type MofClass } from './model-openness.js';
import type { StoredModel } from './catalog-repository.js';

export type PresentedModel = Omit<ModelCardBody, 'license'> & {
  readonly object: 'model_card';
  readonly license: { readonly id: string; readonly terms: LicenseTerms };
  readonly mof_class: MofClass | null;
  readonly open_weights: boolean;
  /** The price version in force now; null when the model has no price. */
  readonly price: PriceVersion | null;
  readonly deprecation: { readonly deprecated_at: string; readonly sunset_date: string | null; readonly replacement: string | null } | null;
  readonly created_at: string;
  readonly updated_at: string;
};

/** The version in force at `at`: the latest one whose effective date has come. */
export function priceInForce(prices: readonly PriceVersion[], at: string): PriceVersion | null {
  let current: PriceVersion | null = null;
  for (const price of prices) if (price.effective_from <= at && (current === null || price.effective_from > current.effective_from)) current = price;
  return current;
}

export function resolveLicenseTerms(license: ModelCardBody['license']): LicenseTerms {
  const terms = license.terms ?? lookupLicense(license.id);
  // The card schema refuses a licence that is neither registered nor given with terms.
  if (terms === undefined) throw new Error(`license ${license.id} has no terms`);
  return terms;
}

export function presentModel(stored: StoredModel, prices: readonly PriceVersion[], now: string): PresentedModel {
  const { card } = stored;
  return {
    object: 'model_card',
    ...card,
    license: { id: card.license.id, terms: resolveLicenseTerms(card.license) },
    mof_class: computeMofClass(card.openness),
    open_weights: hasOpenWeights(card.openness),
    price: priceInForce(prices, now),
    deprecation: stored.deprecatedAt === null ? null : { deprecated_at: stored.deprecatedAt, sunset_date: stored.sunsetDate, replacement: stored.replacement },
    created_at: stored.createdAt,
    updated_at: stored.updatedAt,
  };
}
