// An organisation's money history: the postings on its customer and earnings accounts with the
// transaction each belongs to, newest first, in pages keyed by an opaque cursor.
import { z } from 'zod';
import { currencySchema } from '../config/index.js';
import { invalidRequest } from '../core/index.js';
import { accountKindSchema, transactionKindSchema, type BillingExecutor } from './billing-postings.js';
import { parseInput } from './credit-exchange.js';

export const transactionEntrySchema = z.object({
  object: z.literal('billing.transaction'),
  id: z.string(),
  posting_id: z.string(),
  kind: transactionKindSchema,
  account_kind: accountKindSchema,
  /** Signed micro-units on this organisation's account: positive credits it. */
  amount: z.number().int(),
  currency: currencySchema,
  request_id: z.string().nullable(),
  memo: z.string().nullable(),
  created_by: z.string().nullable(),
  created_at: z.string(),
});
export type TransactionEntry = z.infer<typeof transactionEntrySchema>;

export interface TransactionPage {
  readonly object: 'list';
  readonly data: TransactionEntry[];
  readonly has_more: boolean;
  /** Pass as `after` for the next page; null on the last page. */
  readonly next_cursor: string | null;
}

const pageSchema = z.strictObject({
  limit: z.number().int().min(1).max(200).default(50),
  after: z.string().min(1).max(300).optional(),
});

const cursorSchema = z.tuple([z.string(), z.string()]);

function encodeCursor(createdAt: string, postingId: string): string {
  return Buffer.from(JSON.stringify([createdAt, postingId])).toString('base64url');
}

function decodeCursor(cursor: string): [string, string] {
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw invalidRequest('The cursor is not one this API returned; pass next_cursor from the previous page.', 'after', 'invalid_cursor');
  }
}

export async function listTransactions(executor: BillingExecutor, organisationId: string, page: { readonly limit?: number; readonly after?: string }): Promise<TransactionPage> {
  const { limit, after } = parseInput(pageSchema, page);
  let query = executor
    .selectFrom('billing_postings as posting')
    .innerJoin('billing_accounts as account', 'account.id', 'posting.account_id')
    .innerJoin('billing_transactions as entry', 'entry.id', 'posting.transaction_id')
    .select([
      'entry.id as id',
      'posting.id as posting_id',
      'entry.kind as kind',
      'account.kind as account_kind',
      'posting.amount as amount',
      'posting.currency as currency',
      'entry.request_id as request_id',
      'entry.memo as memo',
      'entry.created_by as created_by',
      'posting.created_at as created_at',
    ])
    .where('account.organisation_id', '=', organisationId);
  if (after !== undefined) {
    const [createdAt, postingId] = decodeCursor(after);
    query = query.where((builder) =>
      builder.or([builder('posting.created_at', '<', createdAt), builder.and([builder('posting.created_at', '=', createdAt), builder('posting.id', '<', postingId)])]),
    );
  }
  const rows = await query.orderBy('posting.created_at', 'desc').orderBy('posting.id', 'desc').limit(limit + 1).execute();
  const data = rows.slice(0, limit).map((row) =>
    transactionEntrySchema.parse({ object: 'billing.transaction', ...row, amount: Number(row.amount) }),
  );
  const last = data.at(-1);
  const hasMore = rows.length > limit;
  return { object: 'list', data, has_more: hasMore, next_cursor: hasMore && last !== undefined ? encodeCursor(last.created_at, last.posting_id) : null };
}
