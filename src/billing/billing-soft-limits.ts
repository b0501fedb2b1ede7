// Soft budget limits: when a budget's spend in a period reaches its soft limit, one JSON notice is
// POSTed to billing.softLimitWebhookUrl. "Once" holds across replicas: the notice is claimed by a
// conditional UPDATE of budget_spend.soft_limit_notified_at. Sending never blocks a request, and
// a failed delivery is logged, not retried.
import type { Logger } from '../core/index.js';
import { budgetKey, formatMoney, type HeldCounter } from './billing-admission.js';
import type { Budget, MeteringRepository } from './billing-metering-repository.js';

const deliveryTimeoutMilliseconds = 5_000;

export class SoftLimitNotifier {
  /** Budget periods this server has already seen notified, so it stops asking the database. */
  private readonly notified = new Set<string>();
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly repository: MeteringRepository,
    private readonly webhookUrl: string | undefined,
    private readonly logger: Logger,
  ) {}

  /** After a charged settlement: checks each held budget with a soft limit, reading its spend now through `spentNow`. */
  checkCounters(counters: readonly HeldCounter[], organisationId: string, spentNow: (key: string) => Promise<number>, now: string): void {
    for (const counter of counters) {
      if (counter.kind === 'budget' && counter.budget !== undefined && counter.budget.softLimit !== null && counter.periodStart !== undefined) {
        this.check(counter.budget, counter.periodStart, organisationId, spentNow(budgetKey(counter.budget.id, counter.periodStart)), now);
      }
    }
  }

  /** Called after a charged settlement with the budget's spend now; sends the notice if this crossed the soft limit first. */
  check(budget: Budget, periodStart: string, organisationId: string, spentNow: Promise<number>, now: string): void {
    const marker = `${budget.id}:${periodStart}`;
    if (budget.softLimit === null || this.notified.has(marker)) {
      spentNow.catch(() => undefined);
      return;
    }
    const softLimit = budget.softLimit;
    const work = (async () => {
      const spent = await spentNow;
      if (spent < softLimit) return;
      this.notified.add(marker);
      if (!(await this.repository.claimSoftLimitNotice(budget.id, periodStart, now))) return;
      const notice = {
        type: 'budget.soft_limit_reached',
        budget_id: budget.id,
        organisation_id: organisationId,
        scope_type: budget.scopeType,
        scope_id: budget.scopeId,
        period: budget.period,
        period_start: periodStart,
        currency: budget.currency,
        soft_limit: softLimit,
        hard_limit: budget.hardLimit,
        spent,
        message: `Budget ${budget.id} (${budget.scopeType} ${budget.scopeId}) has spent ${formatMoney(spent, budget.currency)} of its soft limit ${formatMoney(softLimit, budget.currency)} this ${budget.period}.`,
        sent_at: now,
      };
      if (this.webhookUrl === undefined) {
        this.logger.warn(notice, 'billing: a budget passed its soft limit (no softLimitWebhookUrl configured)');
        return;
      }
      const response = await fetch(this.webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(notice),
        signal: AbortSignal.timeout(deliveryTimeoutMilliseconds),
      });
      if (!response.ok) throw new Error(`the soft-limit webhook answered ${response.status}`);
      await response.body?.cancel();
    })().catch((error: unknown) => this.logger.error({ err: error, budgetId: budget.id, periodStart }, 'billing: the soft-limit notice failed'));
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
  }

  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}
