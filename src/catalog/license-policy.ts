// The licence policy: an organisation's profile (commercial or research use, monthly active
// users band, annual revenue) against a model's licence terms. A refusal quotes the clause
// and the threshold, so the caller learns why rather than guessing.
import type { OrganisationProfile } from '../config/index.js';
import type { LicenseTerms } from './license-registry.js';

export type LicenseDecision =
  | { readonly outcome: 'allowed'; readonly attribution: string | null }
  | { readonly outcome: 'denied'; readonly clause: string };

/** The smallest number of monthly active users each band can mean (the bands are exclusive below). */
const bandFloor: Readonly<Record<OrganisationProfile['monthlyActiveUsers'], number>> = {
  'up-to-1m': 0,
  'up-to-100m': 1_000_000,
  'up-to-700m': 100_000_000,
  'over-700m': 700_000_000,
};

function formatCount(count: number): string {
  return count >= 1_000_000 ? `${count / 1_000_000} million` : count.toLocaleString('en');
}

export function evaluateLicense(licenseId: string, terms: LicenseTerms, profile: OrganisationProfile): LicenseDecision {
  if (profile.use === 'commercial' && terms.commercial_use === 'no') {
    const clause = terms.conditions[0] ?? 'Commercial use is not permitted.';
    return { outcome: 'denied', clause: `${terms.name} (${licenseId}) does not permit commercial use: "${clause}"` };
  }
  const threshold = terms.monthly_active_users_threshold;
  if (profile.use === 'commercial' && threshold !== null && bandFloor[profile.monthlyActiveUsers] >= threshold) {
    const clause = terms.conditions.find((condition) => condition.includes('monthly active users')) ?? `Above ${formatCount(threshold)} monthly active users a separate licence is needed.`;
    return {
      outcome: 'denied',
      clause: `${terms.name} (${licenseId}) sets a threshold of ${formatCount(threshold)} monthly active users, and this organisation's band is ${profile.monthlyActiveUsers}: "${clause}"`,
    };
  }
  const revenueThreshold = terms.annual_revenue_threshold_usd;
  if (profile.use === 'commercial' && revenueThreshold !== null && profile.annualRevenueUsd !== undefined && profile.annualRevenueUsd > revenueThreshold) {
    return { outcome: 'denied', clause: `${terms.name} (${licenseId}) applies only below USD ${revenueThreshold.toLocaleString('en')} of annual revenue.` };
  }
  return { outcome: 'allowed', attribution: terms.attribution };
}
