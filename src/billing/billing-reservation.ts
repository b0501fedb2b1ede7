// What a request asks of metering (its admission) and what metering holds for it until it
// settles (its reservation), shared by the billing service and the gateway's limits step.
import type { Currency } from '../config/index.js';
import type { HeldCounter } from './billing-admission.js';
import type { PricingPlan } from './billing-plan-schema.js';

// Every reservation and settlement stamps its time, and toISOString costs about a microsecond:
// the second's prefix ("2026-11-28T23:40:51") is formatted once a second, the milliseconds added.
let secondStartsAt = Number.NaN;
let secondPrefix = '';
export function isoTime(now: Date): string {
  const milliseconds = now.getTime();
  const withinSecond = milliseconds - secondStartsAt;
  if (!(withinSecond >= 0 && withinSecond < 1_000)) {
    const iso = now.toISOString();
    // Years 0–9999 only: outside them toISOString writes a signed, six-digit year.
    if (iso.length !== 24) return iso;
    secondStartsAt = milliseconds - now.getUTCMilliseconds();
    secondPrefix = iso.slice(0, 19);
    return iso;
  }
  return `${secondPrefix}.${withinSecond < 10 ? '00' : withinSecond < 100 ? '0' : ''}${withinSecond}Z`;
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
