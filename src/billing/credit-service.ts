// Credits: installation admins top up an organisation's customer account, set its mode and credit
// limit, and read its balance and history. Every movement is one double-entry transaction
// (platform_funding → customer), converted into the account's currency when the rates allow.
import { z } from 'zod';
import { currencySchema, type Config, type Currency } from '../config/index.js';
import { conflict, invalidRequest, systemClock, type Clock } from '../core/index.js';
import type { Database } from '../storage/index.js';
import { accountModeSchema, ensureAccount, findCustomerAccount, postTransaction, type BillingAccount, type BillingExecutor, type TransactionKind } from './billing-postings.js';
import { listTransactions, type TransactionPage } from './credit-history.js';
import { convertAmount, organisationIdSchema, parseInput, positiveMicroAmountSchema, type ExchangeRates } from './credit-exchange.js';

export const topUpInputSchema = z.strictObject({
  organisationId: organisationIdSchema,
  amount: positiveMicroAmountSchema,
  currency: currencySchema,
  memo: z.string().max(500).nullish(),
  createdBy: z.string().max(200).nullish(),
});
export type TopUpInput = z.input<typeof topUpInputSchema>;

export const accountSettingsSchema = z.strictObject({
  mode: accountModeSchema,
  /** How far below zero a postpaid account may go, in micro-units. */
  creditLimit: z.number().int({ error: 'expected whole micro-units' }).nonnegative().max(Number.MAX_SAFE_INTEGER).default(0),
  currency: currencySchema.optional(),
});
export type AccountSettings = z.input<typeof accountSettingsSchema>;

export const accountBalanceSchema = z.object({
  object: z.literal('billing.balance'),
  organisation_id: z.string(),
  /** false until the first top-up, redemption, setting or charge creates the account. */
  exists: z.boolean(),
  currency: currencySchema,
  mode: accountModeSchema,
  credit_limit: z.number().int(),
  balance: z.number().int(),
  /** What may still be spent: balance (prepaid), balance + credit limit (postpaid), null (unlimited). */
  available: z.number().int().nullable(),
  earnings: z.array(z.object({ currency: currencySchema, balance: z.number().int() })),
});
export type AccountBalance = z.infer<typeof accountBalanceSchema>;

export const creditResultSchema = z.object({
  object: z.literal('billing.credit'),
  transaction_id: z.string(),
  organisation_id: z.string(),
  amount: z.number().int(),
  currency: currencySchema,
  /** The amount in the account's currency, after conversion. */
  credited_amount: z.number().int(),
  account_currency: currencySchema,
  balance: z.number().int(),
});
export type CreditResult = z.infer<typeof creditResultSchema>;

export interface CreditOrganisationInput {
  readonly organisationId: string;
  readonly amount: number;
  readonly currency: Currency;
  readonly kind: Extract<TransactionKind, 'top_up' | 'redemption' | 'adjustment'>;
  readonly memo: string | null;
  readonly createdBy: string | null;
  readonly createdAt: string;
  /** The currency of an organisation that has no account yet. */
  readonly defaultCurrency: Currency;
  readonly exchangeRates: ExchangeRates;
}

/** platform_funding → customer, in the customer account's currency; call inside a database transaction. */
export async function creditOrganisation(executor: BillingExecutor, input: CreditOrganisationInput): Promise<CreditResult> {
  const account =
    (await findCustomerAccount(executor, input.organisationId)) ??
    (await ensureAccount(executor, { organisationId: input.organisationId, kind: 'customer', currency: input.defaultCurrency, createdAt: input.createdAt }));
  const credited = convertAmount(input.amount, input.currency, account.currency, input.exchangeRates);
  if (credited <= 0) throw invalidRequest(`${input.amount} micro-units of ${input.currency} are worth nothing in ${account.currency}.`, 'amount', 'amount_too_small');
  const funding = await ensureAccount(executor, { organisationId: null, kind: 'platform_funding', currency: account.currency, createdAt: input.createdAt });
  const memo = input.currency === account.currency ? input.memo : [input.memo, `${input.amount} ${input.currency} converted to ${credited} ${account.currency}`].filter((part) => part !== null).join('; ');
  const transactionId = await postTransaction(executor, {
    kind: input.kind,
    organisationId: input.organisationId,
    memo,
    createdBy: input.createdBy,
    createdAt: input.createdAt,
    lines: [
      { accountId: funding.id, amount: -credited, currency: account.currency },
      { accountId: account.id, amount: credited, currency: account.currency },
    ],
  });
  return {
    object: 'billing.credit',
    transaction_id: transactionId,
    organisation_id: input.organisationId,
    amount: input.amount,
    currency: input.currency,
    credited_amount: credited,
    account_currency: account.currency,
    balance: account.balance + credited,
  };
}

export interface CreditServiceOptions {
  readonly database: Database;
  readonly config: Config['billing'];
  readonly clock?: Clock;
}

export class CreditService {
  private readonly database: Database;
  private readonly config: Config['billing'];
  private readonly clock: Clock;

  constructor(options: CreditServiceOptions) {
    this.database = options.database;
    this.config = options.config;
    this.clock = options.clock ?? systemClock;
  }

  /** An installation admin adds credit; amounts are positive integer micro-units. */
  async topUp(input: TopUpInput): Promise<CreditResult> {
    const parsed = parseInput(topUpInputSchema, input);
    return this.database.kysely.transaction().execute((transaction) =>
      creditOrganisation(transaction, {
        organisationId: parsed.organisationId,
        amount: parsed.amount,
        currency: parsed.currency,
        kind: 'top_up',
        memo: parsed.memo ?? null,
        createdBy: parsed.createdBy ?? null,
        createdAt: this.clock.now().toISOString(),
        defaultCurrency: this.config.currency,
        exchangeRates: this.config.exchangeRates,
      }),
    );
  }

  /** Sets the mode and credit limit; a currency change is allowed only while the balance is zero. */
  async setAccount(organisationId: string, settings: AccountSettings): Promise<AccountBalance> {
    const organisation = parseInput(organisationIdSchema, organisationId);
    const parsed = parseInput(accountSettingsSchema, settings);
    const now = this.clock.now().toISOString();
    await this.database.kysely.transaction().execute(async (transaction) => {
      let account = await findCustomerAccount(transaction, organisation);
      account ??= await ensureAccount(transaction, { organisationId: organisation, kind: 'customer', currency: parsed.currency ?? this.config.currency, mode: parsed.mode, createdAt: now });
      const currency = parsed.currency ?? account.currency;
      if (currency !== account.currency) await this.assertCurrencyCanChange(transaction, account, currency);
      await transaction
        .updateTable('billing_accounts')
        .set({ mode: parsed.mode, credit_limit: parsed.creditLimit, currency, updated_at: now })
        .where('id', '=', account.id)
        .execute();
    });
    return this.balance(organisation);
  }

  private async assertCurrencyCanChange(transaction: BillingExecutor, account: BillingAccount, currency: Currency): Promise<void> {
    const postings = await transaction.selectFrom('billing_postings').select('id').where('account_id', '=', account.id).limit(1).execute();
    if (account.balance !== 0 || postings.length > 0) {
      throw conflict(`The account already holds ${account.currency} postings; its currency cannot change to ${currency}.`, 'account_currency_in_use');
    }
  }

  async balance(organisationId: string): Promise<AccountBalance> {
    const organisation = parseInput(organisationIdSchema, organisationId);
    const rows = await this.database.kysely
      .selectFrom('billing_accounts')
      .selectAll()
      .where('organisation_id', '=', organisation)
      .where('kind', 'in', ['customer', 'earnings'])
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    const account = await findCustomerAccount(this.database.kysely, organisation);
    const earnings = rows.filter((row) => row.kind === 'earnings').map((row) => ({ currency: currencySchema.parse(row.currency), balance: Number(row.balance) }));
    if (account === undefined) {
      return { object: 'billing.balance', organisation_id: organisation, exists: false, currency: this.config.currency, mode: 'unlimited', credit_limit: 0, balance: 0, available: null, earnings };
    }
    const available = account.mode === 'unlimited' ? null : account.mode === 'prepaid' ? account.balance : account.balance + account.creditLimit;
    return {
      object: 'billing.balance',
      organisation_id: organisation,
      exists: true,
      currency: account.currency,
      mode: account.mode,
      credit_limit: account.creditLimit,
      balance: account.balance,
      available,
      earnings,
    };
  }

  /** The organisation's postings, newest first, a page at a time. */
  async transactions(organisationId: string, page: { readonly limit?: number; readonly after?: string } = {}): Promise<TransactionPage> {
    return listTransactions(this.database.kysely, parseInput(organisationIdSchema, organisationId), page);
  }
}
