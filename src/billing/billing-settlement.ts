// What one finished request costs and how it is written: the price of the deployment that
// answered (else the public name's), the plan's terms (markup, volume tier, subscription
// allowance, free tier), converted to the account's currency; then the ledger row and the spend
// each budget it was held against receives.
import type { Currency } from '../config/index.js';
import { convertAmount, exchangeFraction, requestCost, type Fraction } from './billing-cost.js';
import { planAdjustment, type ExchangeRates, type HeldCounter } from './billing-admission.js';
import type { LedgerRow, Settlement } from './billing-metering-repository.js';
import type { CounterMove } from './billing-counters.js';
import { volumeDiscount, type PricingPlan } from './billing-plan-schema.js';
import type { GatewayPrice } from '../catalog/index.js';
import type { Admission, RevenueShareTerms } from './billing-reservation.js';

/** The routing usage event's fields billing needs; a UsageEvent is one. */
export interface SettledUsage {
  readonly providerId: string;
  readonly upstreamModel: string;
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly cachedTokens: number;
  readonly reasoningTokens: number;
  readonly estimated: boolean;
  readonly latencyMs: number;
  readonly timeToFirstTokenMs?: number | undefined;
  readonly status: 'ok' | 'error' | 'cancelled';
  readonly errorCode?: string | undefined;
}

export interface PlanState {
  /** Tokens of this request inside a subscription allowance. */
  readonly coveredTokens: number;
  /** The organisation's spend this month before this request (volume tiers). */
  readonly monthSpend: number;
}

export interface Pricing {
  readonly cost: number;
  readonly price: GatewayPrice | undefined;
}

/** Whether the request is charged at all: a failure that produced no tokens costs nothing, and neither does a free tier. */
export function isChargeable(usage: SettledUsage, plan: PricingPlan): boolean {
  if (plan.kind === 'free_tier') return false;
  return usage.status === 'ok' || usage.promptTokens + usage.completionTokens > 0;
}

export function priceRequest(usage: SettledUsage, price: GatewayPrice | undefined, plan: PricingPlan, state: PlanState, accountCurrency: Currency, rates: ExchangeRates): Pricing {
  if (price === undefined || !isChargeable(usage, plan)) return { cost: 0, price };
  const conversion = exchangeFraction(price.price.currency, accountCurrency, rates);
  const cost = requestCost(price.price, usage, {
    adjustmentBasisPoints: planAdjustment(plan),
    discountBasisPoints: volumeDiscount(plan, state.monthSpend),
    coveredTokens: state.coveredTokens,
    conversion,
  });
  return { cost, price };
}

/** Who a ledger row is for: the admission's fields (an Admission is one). */
export type LedgerScope = Pick<Admission, 'requestId' | 'organisationId' | 'projectId' | 'keyId' | 'userId' | 'publicModel' | 'gptId'>;

/**
 * The ledger row of a settled request, read straight from its admission (no context object per
 * request). A charged row carries a placeholder transaction id; the batch that writes it names
 * the real one.
 */
export function ledgerRow(scope: LedgerScope, currency: Currency, now: string, usage: SettledUsage, pricing: Pricing): LedgerRow {
  return {
    request_id: scope.requestId,
    organisation_id: scope.organisationId,
    project_id: scope.projectId,
    key_id: scope.keyId,
    user_id: scope.userId,
    model: scope.publicModel,
    provider: usage.providerId,
    upstream_model: usage.upstreamModel,
    gpt_id: scope.gptId ?? null,
    prompt_tokens: usage.promptTokens,
    completion_tokens: usage.completionTokens,
    cached_tokens: usage.cachedTokens,
    reasoning_tokens: usage.reasoningTokens,
    estimated: usage.estimated ? 1 : 0,
    price_model_id: pricing.price?.modelId ?? null,
    price_effective_from: pricing.price?.price.effective_from ?? null,
    cost: pricing.cost,
    currency,
    latency_ms: usage.latencyMs,
    time_to_first_token_ms: usage.timeToFirstTokenMs ?? null,
    status: usage.status,
    error_code: usage.errorCode ?? null,
    transaction_id: pricing.cost > 0 ? `txn_${scope.requestId}` : null,
    created_at: now,
    day: now.slice(0, 10),
  };
}

/** What each held budget adds to its spend: the cost in the budget's currency. */
export function budgetAmount(cost: number, conversion: Fraction | undefined): number {
  return conversion === undefined ? cost : convertAmount(cost, conversion);
}

/** priceRequest, except that a conversion that fails records the request at no cost (and says so through `failed`). */
export function priceRequestOrFree(usage: SettledUsage, price: GatewayPrice | undefined, plan: PricingPlan, state: PlanState, accountCurrency: Currency, rates: ExchangeRates, failed: (error: unknown) => void): Pricing {
  try {
    return priceRequest(usage, price, plan, state, accountCurrency, rates);
  } catch (error) {
    // The rate was there at admission or the answering deployment's currency differs: the row is recorded, nothing charged.
    failed(error);
    return { cost: 0, price };
  }
}

/**
 * How a settled request moves its counters: its holds released (when this server holds them) and,
 * when its ledger row is new, what it spent: its cost (in each budget's currency), or one request
 * on a free tier's daily cap.
 */
export function settlementMoves(counters: readonly HeldCounter[], cost: number, holding: boolean, charged: boolean): CounterMove[] {
  const moves: CounterMove[] = [];
  for (const counter of counters) {
    moves.push({
      key: counter.key,
      released: holding ? counter.amount : 0,
      spent: !charged ? 0 : counter.kind === 'daily_requests' ? 1 : counter.kind === 'budget' ? budgetAmount(cost, counter.conversion) : cost,
    });
  }
  return moves;
}

export function settlementFor(
  ledger: LedgerRow,
  counters: readonly HeldCounter[],
  defaultCurrency: Currency,
  reservationRecorded = true,
  revenueShare?: RevenueShareTerms,
): Settlement {
  const budgetSpend: { readonly budgetId: string; readonly periodStart: string; readonly amount: number }[] = [];
  for (const counter of counters) {
    if (counter.kind === 'budget' && counter.budget !== undefined && counter.periodStart !== undefined) {
      budgetSpend.push({ budgetId: counter.budget.id, periodStart: counter.periodStart, amount: budgetAmount(ledger.cost, counter.conversion) });
    }
  }
  // Built whole, not spread into a copy with the reservation's fields afterwards; the plan
  // counters' day and month are read from the row when the batch is written.
  return revenueShare === undefined ? { ledger, budgetSpend, defaultCurrency, reservationRecorded } : { ledger, budgetSpend, defaultCurrency, reservationRecorded, revenueShare };
}
