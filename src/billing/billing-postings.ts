// The double-entry primitive every money movement goes through: accounts are found or created
// race-safely, and a transaction's postings must sum to zero per currency. Balances are kept in
// the same database transaction as the postings, by relative updates, so concurrent writers
// never lose one another's changes. Call these inside a Kysely transaction on either dialect.
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { z } from 'zod';
import { currencySchema, type Currency } from '../config/index.js';
import { invalidRequest, newId, newSequentialId } from '../core/index.js';
import type { DatabaseSchema } from '../storage/index.js';

export const accountKindSchema = z.enum(['customer', 'earnings', 'platform_revenue', 'platform_funding']);
export type AccountKind = z.infer<typeof accountKindSchema>;
export const accountModeSchema = z.enum(['prepaid', 'postpaid', 'unlimited']);
export type AccountMode = z.infer<typeof accountModeSchema>;
export const transactionKindSchema = z.enum(['top_up', 'redemption', 'usage', 'revenue_share', 'adjustment']);
export type TransactionKind = z.infer<typeof transactionKindSchema>;

/** A Kysely handle, normally the `transaction` of `kysely.transaction().execute(...)`. */
export type BillingExecutor = Kysely<DatabaseSchema>;

export interface BillingAccount {
  readonly id: string;
  readonly organisationId: string | null;
  readonly kind: AccountKind;
  readonly currency: Currency;
  readonly mode: AccountMode;
  readonly creditLimit: number;
  readonly balance: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface EnsureAccountInput {
  readonly organisationId: string | null;
  readonly kind: AccountKind;
  readonly currency: Currency;
  /** Used only when the account is created; an existing account keeps its mode. Default `unlimited`. */
  readonly mode?: AccountMode;
  /** Used only when the account is created. */
  readonly createdAt?: string;
}

export interface PostingLine {
  readonly accountId: string;
  /** Signed micro-units: positive credits the account, negative debits it. */
  readonly amount: number;
  readonly currency: Currency;
}

export interface PostTransactionInput {
  readonly id?: string;
  readonly kind: TransactionKind;
  readonly organisationId: string | null;
  readonly requestId?: string | null;
  readonly memo?: string | null;
  readonly createdBy?: string | null;
  readonly createdAt: string;
  readonly lines: readonly PostingLine[];
}

type AccountRow = DatabaseSchema['billing_accounts'];

export function toBillingAccount(row: AccountRow): BillingAccount {
  return {
    id: row.id,
    organisationId: row.organisation_id,
    kind: accountKindSchema.parse(row.kind),
    currency: currencySchema.parse(row.currency),
    mode: accountModeSchema.parse(row.mode),
    creditLimit: Number(row.credit_limit),
    balance: Number(row.balance),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

// Platform accounts have no organisation, and NULLs never collide in a unique constraint, so
// their ids are fixed: a concurrent creation then collides on the primary key instead.
function platformAccountId(kind: AccountKind, currency: Currency): string {
  return `acct_${kind}_${currency}`;
}

/** Finds or creates the account; idempotent and safe when several writers create it at once. */
export async function ensureAccount(executor: BillingExecutor, input: EnsureAccountInput): Promise<BillingAccount> {
  const isPlatform = input.kind === 'platform_revenue' || input.kind === 'platform_funding';
  if (isPlatform !== (input.organisationId === null)) {
    throw new Error(`a ${input.kind} account ${isPlatform ? 'has no' : 'needs an'} organisation`);
  }
  const existing = await findAccount(executor, input.organisationId, input.kind, input.currency);
  if (existing !== undefined) return existing;
  const now = input.createdAt ?? new Date().toISOString();
  await executor
    .insertInto('billing_accounts')
    .values({
      id: isPlatform ? platformAccountId(input.kind, input.currency) : newId('acct'),
      organisation_id: input.organisationId,
      kind: input.kind,
      currency: input.currency,
      mode: input.mode ?? 'unlimited',
      credit_limit: 0,
      balance: 0,
      created_at: now,
      updated_at: now,
    })
    .onConflict((conflict) => conflict.doNothing())
    .execute();
  const created = await findAccount(executor, input.organisationId, input.kind, input.currency);
  if (created === undefined) throw new Error(`the ${input.kind} account could not be created`);
  return created;
}

export async function findAccount(executor: BillingExecutor, organisationId: string | null, kind: AccountKind, currency: Currency): Promise<BillingAccount | undefined> {
  let query = executor.selectFrom('billing_accounts').selectAll().where('kind', '=', kind).where('currency', '=', currency);
  query = organisationId === null ? query.where('organisation_id', 'is', null) : query.where('organisation_id', '=', organisationId);
  const row = await query.orderBy('created_at').orderBy('id').executeTakeFirst();
  return row === undefined ? undefined : toBillingAccount(row);
}

/** The organisation's customer account (the one it spends from), whatever its currency; undefined when it has none. */
export async function findCustomerAccount(executor: BillingExecutor, organisationId: string): Promise<BillingAccount | undefined> {
  const row = await executor
    .selectFrom('billing_accounts')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('kind', '=', 'customer')
    .orderBy('created_at')
    .orderBy('id')
    .executeTakeFirst();
  return row === undefined ? undefined : toBillingAccount(row);
}

/** Refuses lines that are empty, not integers, or do not sum to zero per currency. */
export function assertBalanced(lines: readonly PostingLine[]): void {
  if (lines.length === 0) throw invalidRequest('A billing transaction needs at least one posting.', 'lines', 'unbalanced_transaction');
  const sums = new Map<string, bigint>();
  for (const line of lines) {
    if (!Number.isSafeInteger(line.amount)) {
      throw invalidRequest(`Posting amounts are integer micro-units; got ${line.amount}.`, 'amount', 'invalid_amount');
    }
    sums.set(line.currency, (sums.get(line.currency) ?? 0n) + BigInt(line.amount));
  }
  for (const [currency, sum] of sums) {
    if (sum !== 0n) throw invalidRequest(`The postings in ${currency} sum to ${sum}, not zero.`, 'lines', 'unbalanced_transaction');
  }
}

/** Posts one balanced transaction and moves the balances; returns the transaction id. */
export async function postTransaction(executor: BillingExecutor, input: PostTransactionInput): Promise<string> {
  const [id] = await postTransactions(executor, [input]);
  if (id === undefined) throw new Error('no transaction was posted');
  return id;
}

// Rows per INSERT: postings have six columns, which keeps a statement well under SQLite's
// 32,766 and PostgreSQL's 65,535 parameters.
const rowsPerInsert = 1_000;

/**
 * Posts many balanced transactions: one INSERT for the transactions, one for the postings (in
 * chunks), and one relative UPDATE per distinct account, taken in id order so that concurrent
 * writers lock accounts in the same order and cannot deadlock. The balances move first, so an
 * unknown account is named clearly rather than failing a foreign key. Returns the ids in input order.
 */
export async function postTransactions(executor: BillingExecutor, inputs: readonly PostTransactionInput[]): Promise<string[]> {
  if (inputs.length === 0) return [];
  for (const input of inputs) assertBalanced(input.lines);
  const ids = inputs.map((input) => input.id ?? newSequentialId('txn'));
  const transactionRows = inputs.map((input, index) => ({
    id: ids[index] ?? newSequentialId('txn'),
    kind: input.kind,
    organisation_id: input.organisationId,
    request_id: input.requestId ?? null,
    memo: input.memo ?? null,
    created_by: input.createdBy ?? null,
    created_at: input.createdAt,
  }));
  const postingRows = inputs.flatMap((input, index) =>
    input.lines.map((line) => ({
      id: newSequentialId('pst'),
      transaction_id: ids[index] ?? '',
      account_id: line.accountId,
      amount: line.amount,
      currency: line.currency,
      created_at: input.createdAt,
    })),
  );
  const changes = new Map<string, { amount: bigint; currency: Currency; updatedAt: string }>();
  for (const input of inputs) {
    for (const line of input.lines) {
      const change = changes.get(line.accountId);
      if (change !== undefined && change.currency !== line.currency) {
        throw invalidRequest(`Account ${line.accountId} was posted in both ${change.currency} and ${line.currency}.`, 'currency', 'currency_mismatch');
      }
      const updatedAt = change === undefined || input.createdAt > change.updatedAt ? input.createdAt : change.updatedAt;
      changes.set(line.accountId, { amount: (change?.amount ?? 0n) + BigInt(line.amount), currency: line.currency, updatedAt });
    }
  }

  for (const accountId of [...changes.keys()].sort()) {
    const change = changes.get(accountId);
    if (change === undefined) continue;
    const result = await executor
      .updateTable('billing_accounts')
      .set({ balance: sql<number>`balance + ${Number(change.amount)}`, updated_at: change.updatedAt })
      .where('id', '=', accountId)
      .where('currency', '=', change.currency)
      .executeTakeFirst();
    if (result.numUpdatedRows !== 1n) {
      throw invalidRequest(`No ${change.currency} billing account with id ${JSON.stringify(accountId)}.`, 'account_id', 'account_not_found');
    }
  }
  for (let start = 0; start < transactionRows.length; start += rowsPerInsert) {
    await executor.insertInto('billing_transactions').values(transactionRows.slice(start, start + rowsPerInsert)).execute();
  }
  for (let start = 0; start < postingRows.length; start += rowsPerInsert) {
    await executor.insertInto('billing_postings').values(postingRows.slice(start, start + rowsPerInsert)).execute();
  }
  return ids;
}
