// The metering side of billing in the database: what admission needs to know about an
// organisation (account, plan, budgets), the counters' committed values, the write-ahead
// reservations, and settlement batches (ledger rows, the usage transactions, budget spend, plan
// counters and the reservations' removal in one database transaction per batch).
import { sql, type Insertable } from 'kysely';
import { z } from 'zod';
import { currencySchema, type Currency } from '../config/index.js';
import { newSequentialId } from '../core/index.js';
import type { Database, DatabaseSchema } from '../storage/index.js';
import { ensureAccount, findCustomerAccount, postTransactions, type BillingAccount, type PostTransactionInput } from './billing-postings.js';
import { defaultPricingPlan, pricingPlanSchema, type PricingPlan } from './billing-plan-schema.js';
import { creditRevenueShare } from './revenue-share.js';
import type { HeldCounter } from './billing-admission.js';
import type { CounterLoader } from './billing-counters.js';
import { insertLedgerRows } from './billing-ledger-inserts.js';

export type LedgerRow = Insertable<DatabaseSchema['usage_ledger']>;
export type ReservationRow = Insertable<DatabaseSchema['reservations']>;

export interface Budget {
  readonly id: string;
  readonly scopeType: 'organisation' | 'project' | 'key';
  readonly scopeId: string;
  readonly period: 'day' | 'month';
  readonly currency: Currency;
  readonly hardLimit: number | null;
  readonly softLimit: number | null;
}

export interface OrganisationTerms {
  readonly account: BillingAccount | undefined;
  readonly plan: PricingPlan;
  readonly budgets: readonly Budget[];
}

export interface Settlement {
  readonly ledger: LedgerRow;
  /** Budget spend to add when the row is new, in each budget's currency. */
  readonly budgetSpend: readonly { readonly budgetId: string; readonly periodStart: string; readonly amount: number }[];
  readonly defaultCurrency: Currency;
  /** False when the reservation was never written (a short request held in memory): nothing to remove. */
  readonly reservationRecorded?: boolean;
  /** A GPT call: its money moves as its own revenue_share transaction (caller, platform, creator) instead of the batch's usage one. */
  readonly revenueShare?: { readonly creatorOrganisationId: string; readonly basisPoints: number };
}

/** One item of a group-commit batch. */
export type MeteringWrite =
  | { readonly kind: 'reserve'; readonly row: ReservationRow }
  | {
      readonly kind: 'settle';
      readonly settlement: Settlement;
      /** A settlement of a hold this server took (the usual case): its counters move once the batch says whether its row is new. */
      readonly heldCounters?: readonly HeldCounter[];
    }
  | { readonly kind: 'release'; readonly requestId: string };

export const counterHoldListSchema = z.array(z.object({ key: z.string(), amount: z.number().int() }));

const budgetRowSchema = z.object({
  id: z.string(),
  scope_type: z.enum(['organisation', 'project', 'key']),
  scope_id: z.string(),
  period: z.enum(['day', 'month']),
  currency: currencySchema,
  hard_limit: z.coerce.number().nullable(),
  soft_limit: z.coerce.number().nullable(),
});

// Rows per INSERT: the ledger has 26 columns, well under both dialects' parameter limits.
const rowsPerInsert = 500;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

export class MeteringRepository {
  /** Customer and platform account ids, once known to exist (accounts are never deleted). */
  private readonly accountIds = new Map<string, string>();

  constructor(private readonly database: Database) {}

  private get kysely() {
    return this.database.kysely;
  }

  async organisationTerms(organisationId: string): Promise<OrganisationTerms> {
    const [account, planRow, budgetRows] = await Promise.all([
      findCustomerAccount(this.kysely, organisationId),
      this.kysely.selectFrom('pricing_plans').select('plan').where('organisation_id', '=', organisationId).executeTakeFirst(),
      this.kysely.selectFrom('budgets').selectAll().where('organisation_id', '=', organisationId).execute(),
    ]);
    const budgets = budgetRows.map((row) => {
      const parsed = budgetRowSchema.parse(row);
      return { id: parsed.id, scopeType: parsed.scope_type, scopeId: parsed.scope_id, period: parsed.period, currency: parsed.currency, hardLimit: parsed.hard_limit, softLimit: parsed.soft_limit };
    });
    return { account, plan: planRow === undefined ? defaultPricingPlan : pricingPlanSchema.parse(JSON.parse(planRow.plan)), budgets };
  }

  async getPlan(organisationId: string): Promise<PricingPlan> {
    const row = await this.kysely.selectFrom('pricing_plans').select('plan').where('organisation_id', '=', organisationId).executeTakeFirst();
    return row === undefined ? defaultPricingPlan : pricingPlanSchema.parse(JSON.parse(row.plan));
  }

  async setPlan(organisationId: string, plan: PricingPlan, now: string): Promise<void> {
    const text = JSON.stringify(plan);
    await this.kysely
      .insertInto('pricing_plans')
      .values({ organisation_id: organisationId, plan: text, updated_at: now })
      .onConflict((conflict) => conflict.column('organisation_id').doUpdateSet({ plan: text, updated_at: now }))
      .execute();
  }

  /** Reads a counter's committed value by its key (`budget:<id>:<period>`, `account:<id>`, `requests:`, `tokens:` or `spend:<organisation>:<period>`). */
  counterLoader(organisationId: string): CounterLoader {
    return async (key) => {
      const [kind, id = '', start = ''] = key.split(':');
      if (kind === 'budget') return this.budgetSpent(id, start);
      if (kind === 'account') return this.accountSpent(id);
      if (kind === 'requests') return this.planUsage(organisationId, start, 'requests');
      if (kind === 'tokens') return this.planUsage(organisationId, start, 'tokens');
      if (kind === 'spend') return this.monthSpend(organisationId, start);
      throw new Error(`unknown billing counter ${key}`);
    };
  }

  async budgetSpent(budgetId: string, periodStart: string): Promise<number> {
    const row = await this.kysely.selectFrom('budget_spend').select('spent').where('budget_id', '=', budgetId).where('period_start', '=', periodStart).executeTakeFirst();
    return Number(row?.spent ?? 0);
  }

  /** An account's counter counts spending up: the negated balance. */
  async accountSpent(accountId: string): Promise<number> {
    const row = await this.kysely.selectFrom('billing_accounts').select('balance').where('id', '=', accountId).executeTakeFirst();
    return -Number(row?.balance ?? 0);
  }

  async planUsage(organisationId: string, periodStart: string, field: 'tokens' | 'requests'): Promise<number> {
    const row = await this.kysely.selectFrom('plan_usage').select(field).where('organisation_id', '=', organisationId).where('period_start', '=', periodStart).executeTakeFirst();
    return Number(row?.[field] ?? 0);
  }

  /** The organisation's metered spend in a UTC month (YYYY-MM), for volume tiers. */
  async monthSpend(organisationId: string, month: string): Promise<number> {
    const row = await this.kysely
      .selectFrom('usage_ledger')
      .select((expression) => expression.fn.coalesce(expression.fn.sum<number | string>('cost'), sql<number>`0`).as('total'))
      .where('organisation_id', '=', organisationId)
      .where('day', '>=', `${month}-01`)
      .where('day', '<=', `${month}-31`)
      .executeTakeFirst();
    return Number(row?.total ?? 0);
  }

  /** An account's id from the cache, else found or created inside the batch's transaction (cached once it commits). */
  private async accountId(key: string, create: () => Promise<BillingAccount>, found: Map<string, string>): Promise<string> {
    const known = this.accountIds.get(key) ?? found.get(key);
    if (known !== undefined) return known;
    const account = await create();
    found.set(key, account.id);
    return account.id;
  }

  /**
   * Writes one group-commit batch in one database transaction: new reservations, settlements and
   * released reservations. Answers, per item, whether it was a settlement whose ledger row is new
   * (and so was charged).
   */
  async write(items: readonly MeteringWrite[]): Promise<readonly boolean[]> {
    const reservations: ReservationRow[] = [];
    const settlements: Settlement[] = [];
    const releases: string[] = [];
    for (const item of items) {
      if (item.kind === 'reserve') reservations.push(item.row);
      else if (item.kind === 'settle') settlements.push(item.settlement);
      else releases.push(item.requestId);
    }
    // A request that ends in the batch that records its reservation needs neither the row nor its removal.
    const ending = new Set<string>(releases);
    for (const settlement of settlements) if (settlement.reservationRecorded !== false) ending.add(settlement.ledger.request_id);
    const recorded = reservations.filter((row) => !ending.has(row.request_id));
    const unrecorded = new Set(reservations.filter((row) => ending.has(row.request_id)).map((row) => row.request_id));
    const found = new Map<string, string>();
    const newRows = await this.kysely.transaction().execute(async (transaction) => {
      for (const chunk of chunks(recorded, rowsPerInsert)) await transaction.insertInto('reservations').values(chunk).execute();
      const inserted = settlements.length === 0 ? new Set<string>() : await this.settleIn(transaction, settlements, found, unrecorded);
      const removed = releases.filter((requestId) => !unrecorded.has(requestId));
      for (const chunk of chunks(removed, rowsPerInsert)) await transaction.deleteFrom('reservations').where('request_id', 'in', chunk).execute();
      return inserted;
    });
    for (const [key, id] of found) this.accountIds.set(key, id);
    // A request settled twice in one batch: only its first settlement (the row inserted) is charged.
    return items.map((item) => item.kind === 'settle' && newRows.delete(item.settlement.ledger.request_id));
  }

  private async settleIn(transaction: Database['kysely'], settlements: readonly Settlement[], found: Map<string, string>, unrecorded: ReadonlySet<string>): Promise<Set<string>> {
    {
      // The money of a batch moves as one usage transaction per organisation and currency (the
      // ledger rows name it); per-request detail lives in the ledger, whose rows are idempotent.
      const batchTransactionIds = new Map<string, string>();
      for (const settlement of settlements) {
        const { ledger } = settlement;
        if (ledger.cost <= 0 || ledger.transaction_id === null || ledger.transaction_id === undefined) continue;
        // A GPT call's charge is split with its creator in a transaction of its own, named by its ledger row.
        if (settlement.revenueShare !== undefined) {
          ledger.transaction_id = newSequentialId('txn');
          continue;
        }
        const group = `${ledger.organisation_id}\u0000${ledger.currency}`;
        let id = batchTransactionIds.get(group);
        if (id === undefined) {
          id = newSequentialId('txn');
          batchTransactionIds.set(group, id);
        }
        ledger.transaction_id = id;
      }
      const newRows = new Set<string>();
      for (const chunk of chunks(settlements, rowsPerInsert)) {
        const ledgerRows = chunk.map((settlement) => settlement.ledger);
        const rows = await insertLedgerRows(transaction, this.database.dialect, ledgerRows);
        for (const requestId of rows) newRows.add(requestId);
      }
      // The first settlement of each new row; a second one of the same request in this batch inserted nothing.
      const chargedRequests = new Set<string>();
      const charged = settlements.filter((settlement) => {
        const requestId = settlement.ledger.request_id;
        if (!newRows.has(requestId) || chargedRequests.has(requestId)) return false;
        chargedRequests.add(requestId);
        return true;
      });
      const totals = new Map<string, { ledger: LedgerRow; amount: number; requests: number }>();
      for (const settlement of charged) {
        const { ledger } = settlement;
        if (ledger.cost <= 0 || ledger.transaction_id === null || ledger.transaction_id === undefined) continue;
        if (settlement.revenueShare !== undefined) continue;
        const total = totals.get(ledger.transaction_id);
        if (total === undefined) totals.set(ledger.transaction_id, { ledger, amount: ledger.cost, requests: 1 });
        else {
          total.amount += ledger.cost;
          total.requests += 1;
        }
      }
      const transactions: PostTransactionInput[] = [];
      for (const [id, { ledger, amount, requests }] of totals) {
        const currency = currencySchema.parse(ledger.currency);
        const customer = await this.accountId(`customer:${ledger.organisation_id}:${currency}`, async () =>
          (await findCustomerAccount(transaction, ledger.organisation_id)) ?? ensureAccount(transaction, { organisationId: ledger.organisation_id, kind: 'customer', currency, mode: 'unlimited', createdAt: ledger.created_at }), found);
        const revenue = await this.accountId(`platform_revenue:${currency}`, async () => ensureAccount(transaction, { organisationId: null, kind: 'platform_revenue', currency, createdAt: ledger.created_at }), found);
        transactions.push({
          id,
          kind: 'usage',
          organisationId: ledger.organisation_id,
          // A transaction of one request names it; a batch's names none (its ledger rows do).
          ...(requests === 1 ? { requestId: ledger.request_id, memo: ledger.model, createdBy: ledger.key_id } : { memo: `usage of ${requests} requests` }),
          createdAt: ledger.created_at,
          lines: [
            { accountId: customer, amount: -amount, currency },
            { accountId: revenue, amount, currency },
          ],
        });
      }
      await postTransactions(transaction, transactions);
      for (const settlement of charged) {
        const { ledger, revenueShare } = settlement;
        if (revenueShare === undefined || ledger.cost <= 0 || ledger.transaction_id === null || ledger.transaction_id === undefined) continue;
        await creditRevenueShare(transaction, {
          requestId: ledger.request_id,
          callerOrganisationId: ledger.organisation_id,
          creatorOrganisationId: revenueShare.creatorOrganisationId,
          amount: ledger.cost,
          currency: currencySchema.parse(ledger.currency),
          shareBasisPoints: revenueShare.basisPoints,
          createdAt: ledger.created_at,
          transactionId: ledger.transaction_id,
          gptId: ledger.gpt_id ?? null,
        });
      }

      const spend = new Map<string, { budgetId: string; periodStart: string; amount: number }>();
      const plan = new Map<string, { organisationId: string; periodStart: string; tokens: number; requests: number }>();
      const addPlanUsage = (organisationId: string, periodStart: string, tokens: number): void => {
        const key = `${organisationId}\u0000${periodStart}`;
        const total = plan.get(key);
        if (total === undefined) plan.set(key, { organisationId, periodStart, tokens, requests: 1 });
        else {
          total.tokens += tokens;
          total.requests += 1;
        }
      };
      for (const settlement of charged) {
        for (const entry of settlement.budgetSpend) {
          const key = `${entry.budgetId}\u0000${entry.periodStart}`;
          const total = spend.get(key);
          if (total === undefined) spend.set(key, { ...entry });
          else total.amount += entry.amount;
        }
        // Plan counters: every new row counts one request and its tokens on its day and its month.
        const { ledger } = settlement;
        const tokens = Number(ledger.prompt_tokens) + Number(ledger.completion_tokens);
        addPlanUsage(ledger.organisation_id, ledger.day, tokens);
        addPlanUsage(ledger.organisation_id, ledger.day.slice(0, 7), tokens);
      }
      // One multi-row upsert each (the keys are distinct after summing), sorted so that concurrent
      // batches on PostgreSQL take row locks in the same order.
      const spendRows = [...spend.values()].sort((left, right) => (left.budgetId + left.periodStart).localeCompare(right.budgetId + right.periodStart));
      for (const chunk of chunks(spendRows, rowsPerInsert)) {
        await transaction
          .insertInto('budget_spend')
          .values(chunk.map((entry) => ({ budget_id: entry.budgetId, period_start: entry.periodStart, spent: entry.amount, soft_limit_notified_at: null })))
          .onConflict((conflict) => conflict.columns(['budget_id', 'period_start']).doUpdateSet({ spent: sql<number>`budget_spend.spent + excluded.spent` }))
          .execute();
      }
      const planRows = [...plan.values()].sort((left, right) => (left.organisationId + left.periodStart).localeCompare(right.organisationId + right.periodStart));
      for (const chunk of chunks(planRows, rowsPerInsert)) {
        await transaction
          .insertInto('plan_usage')
          .values(chunk.map((entry) => ({ organisation_id: entry.organisationId, period_start: entry.periodStart, tokens: entry.tokens, requests: entry.requests })))
          .onConflict((conflict) =>
            conflict.columns(['organisation_id', 'period_start']).doUpdateSet({ tokens: sql<number>`plan_usage.tokens + excluded.tokens`, requests: sql<number>`plan_usage.requests + excluded.requests` }),
          )
          .execute();
      }
      const recordedRequests = settlements.filter((settlement) => settlement.reservationRecorded !== false).map((settlement) => settlement.ledger.request_id).filter((requestId) => !unrecorded.has(requestId));
      for (const chunk of chunks(recordedRequests, rowsPerInsert)) {
        await transaction.deleteFrom('reservations').where('request_id', 'in', chunk).execute();
      }
      return newRows;
    }
  }

  /** Claims the soft-limit notice of one budget period; true for exactly one caller across servers. */
  async claimSoftLimitNotice(budgetId: string, periodStart: string, now: string): Promise<boolean> {
    const result = await this.kysely
      .updateTable('budget_spend')
      .set({ soft_limit_notified_at: now })
      .where('budget_id', '=', budgetId)
      .where('period_start', '=', periodStart)
      .where('soft_limit_notified_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }
}
