// GPT revenue share: a GPT request's charge is split, as ONE double-entry transaction, between
// the platform and the GPT's creator. The creator's share is rounded down to a whole micro-unit
// (the platform keeps the remainder), so the parts always sum exactly to what the caller paid.
import { z } from 'zod';
import { currencySchema } from '../config/index.js';
import { ensureAccount, findCustomerAccount, postTransaction, type BillingExecutor } from './billing-postings.js';
import { organisationIdSchema, parseInput } from './credit-exchange.js';

export const revenueShareInputSchema = z
  .strictObject({
    requestId: z.string().min(1),
    callerOrganisationId: organisationIdSchema,
    creatorOrganisationId: organisationIdSchema,
    /** What the caller is charged, in micro-units of `currency` (the caller's account currency). */
    amount: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
    currency: currencySchema,
    /** The creator's share: basis points (7,000 = 70 %) or a percentage; give one. */
    shareBasisPoints: z.number().int().min(0).max(10_000).optional(),
    sharePercent: z.number().min(0).max(100).optional(),
    createdAt: z.string().min(1),
    memo: z.string().max(500).nullish(),
    /** The transaction's id when the caller must know it first (a ledger row that names it); else a new one. */
    transactionId: z.string().min(1).optional(),
    /** The GPT that was used: named in the memo, so creator earnings can be told apart per GPT. */
    gptId: z.string().min(1).nullish(),
  })
  .refine((input) => (input.shareBasisPoints === undefined) !== (input.sharePercent === undefined), { error: 'give exactly one of shareBasisPoints and sharePercent', path: ['shareBasisPoints'] });
export type RevenueShareInput = z.input<typeof revenueShareInputSchema>;

export interface RevenueShareResult {
  readonly transactionId: string;
  /** Credited to the creator's earnings account. */
  readonly creatorShare: number;
  /** Credited to platform revenue: amount − creatorShare. */
  readonly platformShare: number;
}

/** floor(amount × basis points / 10,000), exactly. */
export function creatorShareOf(amount: number, shareBasisPoints: number): number {
  return Number((BigInt(amount) * BigInt(shareBasisPoints)) / 10_000n);
}

/**
 * Charges the caller and credits platform and creator in one transaction (kind `revenue_share`,
 * carrying the request id, so it stands in for the request's usage transaction). Call inside a
 * database transaction. A zero amount posts nothing.
 */
export async function creditRevenueShare(executor: BillingExecutor, input: RevenueShareInput): Promise<RevenueShareResult | undefined> {
  const parsed = parseInput(revenueShareInputSchema, input);
  if (parsed.amount === 0) return undefined;
  // A percentage is turned into basis points once, rounded down like the share itself.
  const basisPoints = parsed.shareBasisPoints ?? Math.floor((parsed.sharePercent ?? 0) * 100 + 1e-9);
  const creatorShare = creatorShareOf(parsed.amount, basisPoints);
  const platformShare = parsed.amount - creatorShare;
  const customer =
    (await findCustomerAccount(executor, parsed.callerOrganisationId).then((account) => (account?.currency === parsed.currency ? account : undefined))) ??
    (await ensureAccount(executor, { organisationId: parsed.callerOrganisationId, kind: 'customer', currency: parsed.currency, createdAt: parsed.createdAt }));
  const earnings = await ensureAccount(executor, { organisationId: parsed.creatorOrganisationId, kind: 'earnings', currency: parsed.currency, createdAt: parsed.createdAt });
  const revenue = await ensureAccount(executor, { organisationId: null, kind: 'platform_revenue', currency: parsed.currency, createdAt: parsed.createdAt });
  const lines = [
    { accountId: customer.id, amount: -parsed.amount, currency: parsed.currency },
    { accountId: revenue.id, amount: platformShare, currency: parsed.currency },
    { accountId: earnings.id, amount: creatorShare, currency: parsed.currency },
  ].filter((line) => line.amount !== 0);
  const gptNote = parsed.gptId === undefined || parsed.gptId === null ? '' : ` for gpt ${parsed.gptId}`;
  const transactionId = await postTransaction(executor, {
    ...(parsed.transactionId === undefined ? {} : { id: parsed.transactionId }),
    kind: 'revenue_share',
    organisationId: parsed.callerOrganisationId,
    requestId: parsed.requestId,
    memo: parsed.memo ?? `GPT revenue share${gptNote}: ${basisPoints / 100} % to ${parsed.creatorOrganisationId}`,
    createdAt: parsed.createdAt,
    lines,
  });
  return { transactionId, creatorShare, platformShare };
}
