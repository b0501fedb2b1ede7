// Redemption codes: an installation admin creates a batch (each code shown once, stored only as an
// HMAC under the installation secret), and an organisation redeems one for credit. A code is
// consumed by one conditional UPDATE in the same transaction as the credit, so two concurrent
// redemptions of one code credit exactly once, and a failed credit leaves the code unused.
import { z } from 'zod';
import { currencySchema, type Config } from '../config/index.js';
import { conflict, invalidRequest, ModelmartError, newId, notFound, systemClock, type Clock } from '../core/index.js';
import type { Database } from '../storage/index.js';
import { creditOrganisation, type CreditResult } from './credit-service.js';
import { organisationIdSchema, parseInput, positiveMicroAmountSchema } from './credit-exchange.js';
import { canonicalRedemptionCode, generateRedemptionCode, redemptionCodeHint } from './redemption-code-format.js';

export const createCodesInputSchema = z.strictObject({
  count: z.number().int().min(1).max(1000),
  amount: positiveMicroAmountSchema,
  currency: currencySchema,
  expiresAt: z.iso.datetime({ offset: true, error: 'expected an ISO-8601 date and time, e.g. 2027-01-01T00:00:00Z' }).nullish(),
  createdBy: z.string().max(200).nullish(),
});
export type CreateCodesInput = z.input<typeof createCodesInputSchema>;

export const redeemInputSchema = z.strictObject({
  organisationId: organisationIdSchema,
  code: z.string().trim().min(1).max(100),
  redeemedBy: z.string().max(200).nullish(),
});
export type RedeemInput = z.input<typeof redeemInputSchema>;

export interface CreatedCodeBatch {
  readonly object: 'redemption_code_batch';
  readonly batch_id: string;
  readonly amount: number;
  readonly currency: z.infer<typeof currencySchema>;
  readonly expires_at: string | null;
  /** The codes themselves; this is the only time they are available. */
  readonly codes: string[];
}

export interface RedemptionServiceOptions {
  readonly database: Database;
  readonly config: Config['billing'];
  /** HMAC-SHA-256 under the installation secret, hex (the same secret API keys are hashed with). */
  readonly hashCode: (code: string) => string;
  readonly clock?: Clock;
}

const rowsPerInsert = 500;

export class RedemptionService {
  private readonly database: Database;
  private readonly config: Config['billing'];
  private readonly hashCode: (code: string) => string;
  private readonly clock: Clock;

  constructor(options: RedemptionServiceOptions) {
    this.database = options.database;
    this.config = options.config;
    this.hashCode = options.hashCode;
    this.clock = options.clock ?? systemClock;
  }

  async createCodes(input: CreateCodesInput): Promise<CreatedCodeBatch> {
    const parsed = parseInput(createCodesInputSchema, input);
    const now = this.clock.now();
    const expiresAt = parsed.expiresAt === undefined || parsed.expiresAt === null ? null : new Date(parsed.expiresAt).toISOString();
    if (expiresAt !== null && expiresAt <= now.toISOString()) throw invalidRequest('expires_at is in the past; codes would be born expired.', 'expires_at', 'invalid_expiry');
    const batchId = newId('rcb');
    const codes = Array.from({ length: parsed.count }, () => generateRedemptionCode());
    const rows = codes.map((code) => ({
      code_hash: this.hashCode(code),
      display_hint: redemptionCodeHint(code),
      batch_id: batchId,
      amount: parsed.amount,
      currency: parsed.currency,
      expires_at: expiresAt,
      redeemed_at: null,
      redeemed_by_organisation_id: null,
      created_by: parsed.createdBy ?? null,
      created_at: now.toISOString(),
    }));
    await this.database.kysely.transaction().execute(async (transaction) => {
      for (let start = 0; start < rows.length; start += rowsPerInsert) {
        await transaction.insertInto('redemption_codes').values(rows.slice(start, start + rowsPerInsert)).execute();
      }
    });
    return { object: 'redemption_code_batch', batch_id: batchId, amount: parsed.amount, currency: parsed.currency, expires_at: expiresAt, codes };
  }

  /** Credits the organisation with the code's amount, once: 404 unknown, 409 used, 410 expired. */
  async redeem(input: RedeemInput): Promise<CreditResult> {
    const parsed = parseInput(redeemInputSchema, input);
    const canonical = canonicalRedemptionCode(parsed.code);
    if (canonical === undefined) throw notFound('No such redemption code; check it was typed as printed (MMR-XXXX-XXXX-XXXX-XXXX).', 'code_not_found', 'code');
    const codeHash = this.hashCode(canonical);
    const now = this.clock.now().toISOString();
    return this.database.kysely.transaction().execute(async (transaction) => {
      const claimed = await transaction
        .updateTable('redemption_codes')
        .set({ redeemed_at: now, redeemed_by_organisation_id: parsed.organisationId })
        .where('code_hash', '=', codeHash)
        .where('redeemed_at', 'is', null)
        .where((builder) => builder.or([builder('expires_at', 'is', null), builder('expires_at', '>', now)]))
        .returning(['amount', 'currency'])
        .executeTakeFirst();
      if (claimed === undefined) {
        const row = await transaction.selectFrom('redemption_codes').select(['redeemed_at', 'expires_at']).where('code_hash', '=', codeHash).executeTakeFirst();
        if (row === undefined) throw notFound('No such redemption code; check it was typed as printed (MMR-XXXX-XXXX-XXXX-XXXX).', 'code_not_found', 'code');
        if (row.redeemed_at !== null) throw conflict(`This redemption code was already redeemed (at ${row.redeemed_at}).`, 'code_already_redeemed');
        throw new ModelmartError(410, `This redemption code expired at ${row.expires_at ?? 'an earlier time'}.`, { code: 'code_expired', param: 'code' });
      }
      return creditOrganisation(transaction, {
        organisationId: parsed.organisationId,
        amount: Number(claimed.amount),
        currency: currencySchema.parse(claimed.currency),
        kind: 'redemption',
        memo: `redemption code ${redemptionCodeHint(canonical)}`,
        createdBy: parsed.redeemedBy ?? null,
        createdAt: now,
        defaultCurrency: this.config.currency,
        exchangeRates: this.config.exchangeRates,
      });
    });
  }
}
