// What a request asks of metering (its admission) and what metering holds for it until it
// settles (its reservation), shared by the billing service and the gateway's limits step.
import type { Currency } from '../config/index.js';
import type { HeldCounter } from './billing-admission.js';
import type { PricingPlan } from './billing-plan-schema.js';

// Requests arriving in the same millisecond share one ISO string instead of formatting it each.
let lastIsoMilliseconds = Number.NaN;
let lastIso = '';
export function isoTime(now: Date): string {
  const milliseconds = now.getTime();
  if (milliseconds !== lastIsoMilliseconds) {
    lastIsoMilliseconds = milliseconds;
    lastIso = now.toISOString();
  }
  return lastIso;
}

export interface Admission {
  readonly requestId: string;
  readonly organisationId: string;
  readonly projectId: string;
  readonly keyId: string;
  readonly userId: string | null;
  /** What the client asked for (route name or <provider>/<model>). */
  readonly publicModel: string;
  /** Names to look the price up by: each planned target's `<provider>/<upstream model>`, then the public name. The worst case over them is held. */
  readonly pricedModels: readonly string[];
  readonly promptTokens: number;
  readonly maxOutputTokens: number;
  readonly gptId?: string | null;
  /** A GPT call: its charge is split with the GPT's creator at settlement (one revenue_share transaction). */
  readonly revenueShare?: RevenueShareTerms | null;
}

export interface RevenueShareTerms {
  readonly creatorOrganisationId: string;
  /** The creator's share in basis points (7,000 = 70 %). */
  readonly basisPoints: number;
}

export interface Reservation {
  readonly requestId: string;
  /** The worst-case cost held, in micro-units of `currency` (the organisation's account currency). */
  readonly amount: number;
  readonly currency: Currency;
  readonly admission: Admission;
  readonly plan: PricingPlan;
  readonly counters: readonly HeldCounter[];
}
