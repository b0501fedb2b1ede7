// How an organisation pays, stored as JSON in pricing_plans.plan: pay-as-you-go (catalogue price
// with a signed markup or discount, optionally volume tiers), a subscription with tokens included
// per period, or a free tier capped in requests a day. No row means pay-as-you-go at list price.
import { z } from 'zod';

/** Signed basis points: +1,500 is a 15 % markup, −2,000 a 20 % discount; −100 % would make usage free. */
const adjustmentSchema = z.number().int().min(-10_000).max(1_000_000);
const microUnitsSchema = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

export const volumeTierSchema = z
  .object({
    /** The discount applies once the organisation's spend this UTC month (account currency, micro-units) has passed this. */
    monthly_spend_above: microUnitsSchema,
    discount_basis_points: z.number().int().min(0).max(10_000),
  })
  .strict();

export const payAsYouGoPlanSchema = z
  .object({
    kind: z.literal('pay_as_you_go'),
    adjustment_basis_points: adjustmentSchema.default(0),
    /** The highest tier passed applies; tiers need not be sorted. */
    volume_tiers: z.array(volumeTierSchema).max(20).default([]),
  })
  .strict();

export const subscriptionPlanSchema = z
  .object({
    kind: z.literal('subscription'),
    /** Prompt plus completion tokens included per period; usage inside costs nothing. */
    included_tokens: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
    period: z.enum(['day', 'month']).default('month'),
    /** Applied to usage past the allowance. */
    adjustment_basis_points: adjustmentSchema.default(0),
  })
  .strict();

export const freeTierPlanSchema = z
  .object({
    kind: z.literal('free_tier'),
    /** Requests admitted per UTC day; past it a request is refused with 429 daily_request_cap_reached. */
    daily_request_cap: z.number().int().nonnegative().max(1_000_000_000),
  })
  .strict();

export const pricingPlanSchema = z.discriminatedUnion('kind', [payAsYouGoPlanSchema, subscriptionPlanSchema, freeTierPlanSchema]);
export type PricingPlan = z.infer<typeof pricingPlanSchema>;
export type PricingPlanInput = z.input<typeof pricingPlanSchema>;

export const defaultPricingPlan: PricingPlan = { kind: 'pay_as_you_go', adjustment_basis_points: 0, volume_tiers: [] };

/** The discount of the highest tier whose threshold the month's spend has passed (0 if none). */
export function volumeDiscount(plan: PricingPlan, monthSpend: number): number {
  if (plan.kind !== 'pay_as_you_go') return 0;
  let best: { threshold: number; discount: number } | undefined;
  for (const tier of plan.volume_tiers) {
    if (monthSpend > tier.monthly_spend_above && (best === undefined || tier.monthly_spend_above > best.threshold)) {
      best = { threshold: tier.monthly_spend_above, discount: tier.discount_basis_points };
    }
  }
  return best?.discount ?? 0;
}
