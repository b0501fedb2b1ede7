// Admission: what a request may cost at worst, which counters it is held against (the account,
// every budget of its key, project and organisation, a free tier's daily requests), and the
// refusal a client reads when one would be passed: which limit, what is left, what it may cost.
import { ModelmartError } from '../core/index.js';
import type { Currency } from '../config/index.js';
import { convertAmount, exchangeFraction, roundedCost, type Fraction, type PriceTerms } from './billing-cost.js';
import type { CounterHold, HoldRefusal } from './billing-counters.js';
import type { Budget, OrganisationTerms } from './billing-metering-repository.js';
import type { PricingPlan } from './billing-plan-schema.js';

export type ExchangeRates = Partial<Record<Currency, number>>;

/** A counter a reservation holds, and how to explain its limit. */
export interface HeldCounter extends CounterHold {
  readonly kind: 'account' | 'budget' | 'daily_requests' | 'plan_tokens' | 'month_spend';
  readonly budget?: Budget;
  readonly periodStart?: string;
  /** Account currency → the budget's currency. */
  readonly conversion?: Fraction;
  readonly currency?: Currency;
}

export function periodStart(period: 'day' | 'month', at: string): string {
  return period === 'day' ? at.slice(0, 10) : at.slice(0, 7);
}

export function budgetKey(budgetId: string, start: string): string {
  return `budget:${budgetId}:${start}`;
}

export function formatMoney(amount: number, currency: string): string {
  const sign = amount < 0 ? '-' : '';
  const magnitude = BigInt(Math.abs(amount));
  return `${sign}${magnitude / 1_000_000n}.${(magnitude % 1_000_000n).toString().padStart(6, '0')} ${currency}`;
}

/** The adjustment in basis points that applies to everything a plan charges (markup or discount). */
export function planAdjustment(plan: PricingPlan): number {
  return plan.kind === 'free_tier' ? 0 : plan.adjustment_basis_points;
}

/** Worst case: the whole prompt uncached and every allowed output token, at list price with the plan's adjustment (no tier, no allowance). */
export function worstCaseCost(price: PriceTerms, promptTokens: number, maxOutputTokens: number, plan: PricingPlan, accountCurrency: Currency, rates: ExchangeRates): number {
  if (plan.kind === 'free_tier') return 0;
  const conversion = exchangeFraction(price.currency, accountCurrency, rates);
  return roundedCost(price, { promptTokens, completionTokens: maxOutputTokens, cachedTokens: 0 }, { adjustmentBasisPoints: planAdjustment(plan), discountBasisPoints: 0, coveredTokens: 0, conversion }, 'up');
}

export interface AdmissionScope {
  readonly organisationId: string;
  readonly projectId: string;
  readonly keyId: string;
}

/** The counters a request is held against, the account first. */
export function countersFor(scope: AdmissionScope, terms: OrganisationTerms, worstCase: number, accountCurrency: Currency, rates: ExchangeRates, now: string): HeldCounter[] {
  const counters: HeldCounter[] = [];
  const { account, plan } = terms;
  if (account !== undefined && account.mode !== 'unlimited') {
    counters.push({ kind: 'account', key: `account:${account.id}`, amount: worstCase, limit: account.mode === 'prepaid' ? 0 : account.creditLimit, currency: accountCurrency });
  }
  for (const budget of terms.budgets) {
    const applies =
      (budget.scopeType === 'organisation' && budget.scopeId === scope.organisationId) ||
      (budget.scopeType === 'project' && budget.scopeId === scope.projectId) ||
      (budget.scopeType === 'key' && budget.scopeId === scope.keyId);
    if (!applies || (budget.hardLimit === null && budget.softLimit === null)) continue;
    const conversion = exchangeFraction(accountCurrency, budget.currency, rates);
    const start = periodStart(budget.period, now);
    const amount = convertAmount(worstCase, conversion, 'up');
    counters.push({ kind: 'budget', key: budgetKey(budget.id, start), amount, limit: budget.hardLimit, budget, periodStart: start, conversion, currency: budget.currency });
  }
  if (plan.kind === 'free_tier') {
    const start = periodStart('day', now);
    counters.push({ kind: 'daily_requests', key: `requests:${scope.organisationId}:${start}`, amount: 1, limit: plan.daily_request_cap, periodStart: start });
  }
  return counters;
}

/** A budget of zero refuses everything, even a request that costs nothing. */
export function zeroBudget(counters: readonly HeldCounter[]): HeldCounter | undefined {
  return counters.find((counter) => counter.kind === 'budget' && counter.limit !== null && counter.limit <= 0);
}

export function refusal(counter: HeldCounter, state: Pick<HoldRefusal, 'spent' | 'held'>): ModelmartError {
  const limit = counter.limit ?? 0;
  const left = limit - state.spent - state.held;
  if (counter.kind === 'daily_requests') {
    return new ModelmartError(429, `The free tier allows ${limit} requests a day (UTC) and today's are used up (${state.spent} made, ${state.held} in flight). Try again tomorrow or change the plan.`, {
      code: 'daily_request_cap_reached',
      type: 'rate_limit_error',
      retryable: false,
    });
  }
  const currency = counter.currency ?? 'USD';
  const mayCost = formatMoney(counter.amount, currency);
  if (counter.kind === 'account') {
    const what = limit === 0 ? 'prepaid balance' : `balance plus credit limit of ${formatMoney(limit, currency)}`;
    return new ModelmartError(402, `Insufficient quota: this request may cost up to ${mayCost}, but the organisation's ${what} leaves ${formatMoney(Math.max(0, left), currency)} (${formatMoney(state.held, currency)} held by requests in flight). Top up to continue.`, {
      code: 'insufficient_quota',
    });
  }
  const budget = counter.budget;
  const scope = budget === undefined ? 'budget' : `${budget.scopeType} ${budget.scopeId} budget ${budget.id} (${budget.period === 'day' ? 'daily' : 'monthly'}, period ${counter.periodStart ?? ''})`;
  return new ModelmartError(
    402,
    `Insufficient quota: the ${scope} has a hard limit of ${formatMoney(limit, currency)} and ${formatMoney(Math.max(0, left), currency)} left (${formatMoney(state.spent, currency)} spent, ${formatMoney(state.held, currency)} held); this request may cost up to ${mayCost}.`,
    { code: 'insufficient_quota' },
  );
}
