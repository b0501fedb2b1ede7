// A GPT's numbers for the people who edit it: calls, tokens and spend per day over the last 30
// days, distinct callers, its ratings, and the creator organisation's earnings from it (the
// earnings postings of the revenue-share transactions that charged this GPT's calls).
import { sql } from 'kysely';
import type { Principal } from '../../accounts/index.js';
import { permissionDenied, systemClock, type Clock } from '../../core/index.js';
import { findGptBySlug, firstStepPattern, gptNotFound, isEditorOf, listedInStore, toCount, viewableTo, type GptRow, type StoreKysely } from './gpt-store-access.js';
import type { RatingSummary } from './gpt-store-records.js';
import { ratingSummaryOf } from './gpt-ratings.js';

const dayMilliseconds = 86_400_000;
export const statsDays = 30;

/** Money in integer micro-units (1 USD = 1,000,000) per currency. */
export type AmountsByCurrency = Readonly<Record<string, number>>;

export interface GptDayStats {
  readonly day: string;
  readonly calls: number;
  readonly prompt_tokens: number;
  readonly completion_tokens: number;
  readonly total_tokens: number;
  readonly spend: AmountsByCurrency;
}

export interface GptCreatorStats {
  readonly object: 'store.gpt.stats';
  readonly gpt: { readonly id: string; readonly slug: string; readonly name: string; readonly hidden: boolean; readonly revenue_share_basis_points: number };
  readonly from: string;
  readonly to: string;
  /** Oldest first, one entry per UTC day, days without calls included. */
  readonly days: readonly GptDayStats[];
  readonly totals: Omit<GptDayStats, 'day'> & { readonly distinct_callers: number };
  readonly rating: RatingSummary;
  readonly earnings: { readonly last_30_days: AmountsByCurrency; readonly all_time: AmountsByCurrency };
}

function addTo(amounts: Record<string, number>, currency: string, amount: number): void {
  amounts[currency] = (amounts[currency] ?? 0) + amount;
}

export class GptCreatorStatistics {
  constructor(
    private readonly kysely: StoreKysely,
    private readonly clock: Clock = systemClock,
  ) {}

  /** 404 for a GPT the caller may not see; 403 for one it sees but does not edit. */
  private async editableGpt(slug: string, principal: Principal): Promise<GptRow> {
    const gpt = await findGptBySlug(this.kysely, slug);
    if (gpt === undefined) throw gptNotFound(slug);
    if (isEditorOf(gpt, principal)) return gpt;
    const visible = await this.kysely
      .selectFrom('gpts')
      .select('id')
      .where('id', '=', gpt.id)
      .where((eb) => eb.and([listedInStore(eb), viewableTo(eb, principal)]))
      .executeTakeFirst();
    if (visible === undefined) throw gptNotFound(slug);
    throw permissionDenied(`Only the creator of ${JSON.stringify(slug)}, its organisation's owners and admins, and installation admins may see its statistics.`);
  }

  async stats(slug: string, principal: Principal): Promise<GptCreatorStats> {
    const gpt = await this.editableGpt(slug, principal);
    const today = this.clock.now().toISOString().slice(0, 10);
    const firstDay = new Date(Date.parse(`${today}T00:00:00Z`) - (statsDays - 1) * dayMilliseconds).toISOString();
    const to = this.clock.now().toISOString();
    const ledger = this.kysely.selectFrom('usage_ledger').where('gpt_id', '=', gpt.id).where('created_at', '>=', firstDay);
    const perDay = await ledger
      .select([
        'day',
        'currency',
        // One call per first model step; the other steps' tokens and cost still add up below.
        sql<number>`coalesce(sum(case when request_id like ${firstStepPattern} then 1 else 0 end), 0)`.as('calls'),
        sql<number>`coalesce(sum(prompt_tokens), 0)`.as('prompt_tokens'),
        sql<number>`coalesce(sum(completion_tokens), 0)`.as('completion_tokens'),
        sql<number>`coalesce(sum(cost), 0)`.as('cost'),
      ])
      .groupBy(['day', 'currency'])
      .execute();
    const callers = await ledger.select(sql<number>`count(distinct coalesce(user_id, 'key:' || key_id))`.as('callers')).executeTakeFirst();

    const days = new Map<string, { calls: number; prompt_tokens: number; completion_tokens: number; spend: Record<string, number> }>();
    for (let index = 0; index < statsDays; index += 1) {
      days.set(new Date(Date.parse(firstDay) + index * dayMilliseconds).toISOString().slice(0, 10), { calls: 0, prompt_tokens: 0, completion_tokens: 0, spend: {} });
    }
    const totalSpend: Record<string, number> = {};
    for (const row of perDay) {
      const entry = days.get(row.day);
      if (entry === undefined) continue;
      entry.calls += toCount(row.calls);
      entry.prompt_tokens += toCount(row.prompt_tokens);
      entry.completion_tokens += toCount(row.completion_tokens);
      addTo(entry.spend, row.currency, toCount(row.cost));
      addTo(totalSpend, row.currency, toCount(row.cost));
    }
    const dayList = [...days.entries()].map(([day, entry]) => ({ day, ...entry, total_tokens: entry.prompt_tokens + entry.completion_tokens }));
    const sum = (pick: (entry: GptDayStats) => number) => dayList.reduce((total, entry) => total + pick(entry), 0);
    return {
      object: 'store.gpt.stats',
      gpt: { id: gpt.id, slug: gpt.slug, name: gpt.name, hidden: gpt.hidden_at !== null, revenue_share_basis_points: Number(gpt.revenue_share_basis_points) },
      from: firstDay,
      to,
      days: dayList,
      totals: {
        calls: sum((entry) => entry.calls),
        prompt_tokens: sum((entry) => entry.prompt_tokens),
        completion_tokens: sum((entry) => entry.completion_tokens),
        total_tokens: sum((entry) => entry.total_tokens),
        spend: totalSpend,
        distinct_callers: toCount(callers?.callers),
      },
      rating: await ratingSummaryOf(this.kysely, gpt.id),
      earnings: { last_30_days: await this.earnings(gpt, firstDay), all_time: await this.earnings(gpt, undefined) },
    };
  }

  /**
   * The creator organisation's earnings postings in revenue-share transactions of this GPT's
   * calls. A call's ledger row names its transaction (transaction_id), and the transaction
   * carries the call's request id; either link counts, each posting once.
   */
  private async earnings(gpt: GptRow, since: string | undefined): Promise<AmountsByCurrency> {
    let query = this.kysely
      .selectFrom('billing_postings')
      .innerJoin('billing_accounts', 'billing_accounts.id', 'billing_postings.account_id')
      .innerJoin('billing_transactions', 'billing_transactions.id', 'billing_postings.transaction_id')
      .where('billing_accounts.kind', '=', 'earnings')
      .where('billing_accounts.organisation_id', '=', gpt.organisation_id)
      .where('billing_transactions.kind', '=', 'revenue_share')
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('usage_ledger')
            .select('usage_ledger.request_id')
            .where('usage_ledger.gpt_id', '=', gpt.id)
            .where((inner) => inner.or([inner('usage_ledger.transaction_id', '=', inner.ref('billing_transactions.id')), inner('usage_ledger.request_id', '=', inner.ref('billing_transactions.request_id'))])),
        ),
      )
      .select((eb) => ['billing_postings.currency', eb.fn.sum('billing_postings.amount').as('amount')])
      .groupBy('billing_postings.currency');
    if (since !== undefined) query = query.where('billing_postings.created_at', '>=', since);
    const rows = await query.execute();
    const amounts: Record<string, number> = {};
    for (const row of rows) addTo(amounts, row.currency, toCount(row.amount));
    return amounts;
  }
}
