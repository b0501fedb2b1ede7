// Monthly statements: for one organisation and one UTC month, the customer account's opening
// balance, the credits that came in (top-ups, redemptions, adjustments), usage by model and by
// project from the usage ledger, revenue-share earnings, and the closing balance; JSON or CSV.
// Balances come from postings; usage comes from the ledger, so its total is the ledger's sum.
import { sql } from 'kysely';
import { z } from 'zod';
import type { Config, Currency } from '../config/index.js';
import { currencySchema } from '../config/index.js';
import { invalidRequest } from '../core/index.js';
import type { Database } from '../storage/index.js';
import { findCustomerAccount } from './billing-postings.js';
import { organisationIdSchema, parseInput } from './credit-exchange.js';
import { renderCsv, type CsvValue } from './usage-report-csv.js';

const monthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: 'expected a month as YYYY-MM' });

export interface StatementCredit {
  readonly transaction_id: string;
  readonly kind: string;
  readonly amount: number;
  readonly memo: string | null;
  readonly created_at: string;
}

export interface StatementUsageLine {
  readonly name: string;
  readonly currency: Currency;
  readonly requests: number;
  readonly prompt_tokens: number;
  readonly completion_tokens: number;
  readonly cost: number;
}

export interface Statement {
  readonly object: 'billing.statement';
  readonly organisation_id: string;
  readonly month: string;
  readonly period_start: string;
  readonly period_end: string;
  readonly currency: Currency;
  readonly opening_balance: number;
  readonly credits: StatementCredit[];
  readonly credits_total: number;
  readonly usage_by_model: StatementUsageLine[];
  readonly usage_by_project: StatementUsageLine[];
  /** The ledger's cost for the month in the account currency. */
  readonly usage_total: number;
  /** What the account was charged for usage (usage and GPT revenue-share debits) in the month. */
  readonly usage_charged: number;
  readonly earnings: { readonly currency: Currency; readonly amount: number }[];
  readonly closing_balance: number;
}

export function monthRange(month: string): { start: string; end: string } {
  const parsed = monthSchema.safeParse(month);
  if (!parsed.success) throw invalidRequest(`Invalid month ${JSON.stringify(month)}: expected YYYY-MM.`, 'month', 'invalid_month');
  const [year = 0, monthNumber = 1] = month.split('-').map(Number);
  return { start: new Date(Date.UTC(year, monthNumber - 1, 1)).toISOString(), end: new Date(Date.UTC(year, monthNumber, 1)).toISOString() };
}

const total = (expression: string) => sql<number>`coalesce(sum(${sql.ref(expression)}), 0)`;

export class StatementService {
  constructor(
    private readonly database: Database,
    private readonly config: Config['billing'],
  ) {}

  async statement(organisationId: string, month: string): Promise<Statement> {
    const organisation = parseInput(organisationIdSchema, organisationId);
    const { start, end } = monthRange(month);
    const kysely = this.database.kysely;
    const account = await findCustomerAccount(kysely, organisation);
    const currency = account?.currency ?? this.config.currency;
    const accountId = account?.id ?? '';
    const balanceBefore = async (at: string) =>
      Number((await kysely.selectFrom('billing_postings').select(total('amount').as('sum')).where('account_id', '=', accountId).where('created_at', '<', at).executeTakeFirst())?.sum ?? 0);
    const inPeriod = kysely.selectFrom('billing_postings').innerJoin('billing_transactions', 'billing_transactions.id', 'billing_postings.transaction_id').where('billing_postings.account_id', '=', accountId).where('billing_postings.created_at', '>=', start).where('billing_postings.created_at', '<', end);
    const credits = (
      await inPeriod
        .select(['billing_transactions.id as transaction_id', 'billing_transactions.kind', 'billing_postings.amount', 'billing_transactions.memo', 'billing_postings.created_at'])
        .where('billing_transactions.kind', 'in', ['top_up', 'redemption', 'adjustment'])
        .orderBy('billing_postings.created_at')
        .orderBy('billing_postings.id')
        .execute()
    ).map((row) => ({ ...row, amount: Number(row.amount) }));
    const charged = await inPeriod.select(total('billing_postings.amount').as('sum')).where('billing_transactions.kind', 'in', ['usage', 'revenue_share']).executeTakeFirst();
    const usageBy = async (column: 'model' | 'project_id'): Promise<StatementUsageLine[]> => {
      const rows = await kysely
        .selectFrom('usage_ledger')
        .select([`${column} as name`, 'currency'])
        .select((builder) => [builder.fn.countAll<number>().as('requests'), total('prompt_tokens').as('prompt_tokens'), total('completion_tokens').as('completion_tokens'), total('cost').as('cost')])
        .where('organisation_id', '=', organisation)
        .where('created_at', '>=', start)
        .where('created_at', '<', end)
        .groupBy([column, 'currency'])
        .orderBy(column)
        .orderBy('currency')
        .execute();
      return rows.map((row) => ({
        name: row.name,
        currency: currencySchema.parse(row.currency),
        requests: Number(row.requests),
        prompt_tokens: Number(row.prompt_tokens),
        completion_tokens: Number(row.completion_tokens),
        cost: Number(row.cost),
      }));
    };
    const earningsRows = await kysely
      .selectFrom('billing_postings')
      .innerJoin('billing_accounts', 'billing_accounts.id', 'billing_postings.account_id')
      .select(['billing_accounts.currency', total('billing_postings.amount').as('amount')])
      .where('billing_accounts.organisation_id', '=', organisation)
      .where('billing_accounts.kind', '=', 'earnings')
      .where('billing_postings.created_at', '>=', start)
      .where('billing_postings.created_at', '<', end)
      .groupBy('billing_accounts.currency')
      .orderBy('billing_accounts.currency')
      .execute();
    const usageByModel = await usageBy('model');
    const usageByProject = await usageBy('project_id');
    return {
      object: 'billing.statement',
      organisation_id: organisation,
      month,
      period_start: start,
      period_end: end,
      currency,
      opening_balance: await balanceBefore(start),
      credits,
      credits_total: credits.reduce((sum, credit) => sum + credit.amount, 0),
      usage_by_model: usageByModel,
      usage_by_project: usageByProject,
      usage_total: usageByModel.filter((line) => line.currency === currency).reduce((sum, line) => sum + line.cost, 0),
      usage_charged: -Number(charged?.sum ?? 0),
      earnings: earningsRows.map((row) => ({ currency: currencySchema.parse(row.currency), amount: Number(row.amount) })),
      closing_balance: await balanceBefore(end),
    };
  }

  /** One CSV table: a row per statement line, its section first. */
  static toCsv(statement: Statement): string {
    const rows: Record<string, CsvValue>[] = [{ section: 'opening_balance', amount: statement.opening_balance, currency: statement.currency }];
    for (const credit of statement.credits) rows.push({ section: credit.kind, name: credit.memo ?? credit.transaction_id, date: credit.created_at, amount: credit.amount, currency: statement.currency });
    for (const [section, lines] of [['usage_by_model', statement.usage_by_model], ['usage_by_project', statement.usage_by_project]] as const) {
      for (const line of lines) rows.push({ section, name: line.name, requests: line.requests, prompt_tokens: line.prompt_tokens, completion_tokens: line.completion_tokens, amount: -line.cost, currency: line.currency });
    }
    rows.push({ section: 'usage_total', amount: -statement.usage_total, currency: statement.currency });
    for (const earning of statement.earnings) rows.push({ section: 'revenue_share_earnings', amount: earning.amount, currency: earning.currency });
    rows.push({ section: 'closing_balance', amount: statement.closing_balance, currency: statement.currency });
    return renderCsv(['section', 'name', 'date', 'requests', 'prompt_tokens', 'completion_tokens', 'amount', 'currency'], rows);
  }
}
