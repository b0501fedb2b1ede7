// The metering service the gateway calls around every request: reserve the worst case before
// routing (refusing past a budget, a balance or a free tier's cap), settle exactly once when the
// request ends, or release a request refused before any upstream call. Reservations and
// settlements reach the database through group-commit writers; admission counters live in
// process (one server) or in Redis (replicas).
import type { CatalogService, GatewayPrice } from '../catalog/index.js';
import type { Config, Currency } from '../config/index.js';
import { createLogger, systemClock, type Clock, type Logger } from '../core/index.js';
import type { Database } from '../storage/index.js';
import { countersFor, periodStart, refusal, worstCaseCost, zeroBudget, type HeldCounter } from './billing-admission.js';
import { counterStoresFor } from './billing-counter-stores.js';
import { holdNeedsWait, type CounterLoader, type CounterStore, type HoldRefusal, type OwnedCounterStore } from './billing-counters.js';
import { recoverInterruptedWork } from './billing-interrupted-recovery.js';
import { GroupCommitWriter } from './billing-group-writer.js';
import { MeteringRepository, type MeteringWrite, type OrganisationTerms } from './billing-metering-repository.js';
import { ReservationRecoveryRepository } from './billing-recovery-repository.js';
import { ChargedRequestMetrics, type BillingMetrics } from './billing-metrics.js';
import { pricingPlanSchema, type PricingPlan, type PricingPlanInput } from './billing-plan-schema.js';
import { isChargeable, ledgerRow, priceRequestOrFree, settlementFor, settlementMoves, type PlanState, type Pricing, type SettledUsage } from './billing-settlement.js';
import { ReservationRecorder } from './billing-reservation-recorder.js';
import { isoTime, type Admission, type Reservation } from './billing-reservation.js';
import { SoftLimitNotifier } from './billing-soft-limits.js';
import { OrganisationTermsCache, RememberedPrices } from './billing-terms-cache.js';

// A plan with no counters to read at settlement (neither a subscription's allowance nor volume tiers).
const noPlanState: PlanState = { coveredTokens: 0, monthSpend: 0 };

// How long settlements gather into one database transaction: each batch costs a commit, a usage
// transaction per organisation and a budget upsert, so fewer, larger batches cost less per request.
// On PostgreSQL each of those statements is a round trip with its own client-side cost, so batches
// gather longer there (measured: about 4% less CPU per request at 100 ms than at 40 ms; on SQLite,
// whose cost is per row, no gain).
const settlementWindowMilliseconds = { sqlite: 40, postgres: 100 } as const;

export type { Admission, Reservation, RevenueShareTerms } from './billing-reservation.js';
export type { SettledUsage } from './billing-settlement.js';

export interface BillingServiceOptions {
  readonly database: Database;
  readonly catalog: CatalogService;
  readonly config: Config['billing'];
  readonly redisUrl?: string | undefined;
  readonly serverId: string;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** How long an organisation's account, plan and budgets are cached (default 5 s). */
  readonly termsCacheMilliseconds?: number;
}

export class BillingService {
  private readonly repository: MeteringRepository;
  private readonly recovery: ReservationRecoveryRepository;
  private readonly terms: OrganisationTermsCache;
  private readonly prices: RememberedPrices;
  private readonly active = new Set<string>();
  private readonly recorder: ReservationRecorder;
  private readonly settling = new Map<string, Promise<void>>();
  private readonly accountRefreshedAt = new Map<string, number>();
  private readonly loaders = new Map<string, CounterLoader>();
  /** Reservations, settlements and releases share one writer, so a batch is one database transaction. */
  private readonly writer: GroupCommitWriter<MeteringWrite, boolean>;
  private readonly notifier: SoftLimitNotifier;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private metrics: ChargedRequestMetrics | undefined;

  private constructor(
    private readonly options: BillingServiceOptions,
    private readonly counters: CounterStore,
    /** The store under the leases (replicas): recovery releases crashed servers' holds in it directly. */
    private readonly sharedStore: OwnedCounterStore | undefined,
  ) {
    this.repository = new MeteringRepository(options.database);
    this.recovery = new ReservationRecoveryRepository(options.database);
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? createLogger('silent');
    this.terms = new OrganisationTermsCache(this.repository, options.termsCacheMilliseconds ?? 5_000, this.logger);
    this.prices = new RememberedPrices(options.catalog);
    // Settlements wait for nobody (the answer has gone), so they gather for up to 40 ms (100 ms on PostgreSQL): under load
    // dozens of requests share one database transaction; at idle a settlement still goes at once.
    this.writer = new GroupCommitWriter(
      (items) => this.repository.write(items),
      1_000,
      settlementWindowMilliseconds[options.database.dialect],
      (item, inserted, error) => this.heldSettlementWritten(item, inserted === true, error),
    );
    this.notifier = new SoftLimitNotifier(this.repository, options.config.softLimitWebhookUrl, this.logger);
    this.recorder = new ReservationRecorder({
      serverId: options.serverId,
      rowsListHolds: sharedStore === undefined,
      write: (row) => {
        this.writer.write({ kind: 'reserve', row }).catch((error: unknown) => this.logger.error({ err: error, requestId: row.request_id }, 'billing: recording a reservation failed'));
      },
    });
  }

  /** Opens the service and recovers the reservations crashed servers left (older than reservationTimeoutMs): released, recorded as interrupted at no cost. */
  static async open(options: BillingServiceOptions): Promise<BillingService> {
    const stores = counterStoresFor({ ...options, reservationTimeoutMs: options.config.reservationTimeoutMs });
    const service = new BillingService(options, stores.counters, stores.shared);
    await service.recover();
    return service;
  }

  /** Releases reservations older than the timeout; returns how many. */
  async recover(): Promise<number> {
    const now = this.clock.now();
    const before = new Date(now.getTime() - this.options.config.reservationTimeoutMs).toISOString();
    const work = { recovery: this.recovery, counters: this.counters, sharedStore: this.sharedStore, loader: (organisationId: string) => this.loader(organisationId), logger: this.logger };
    return recoverInterruptedWork(work, before, now.toISOString());
  }

  useMetrics(metrics: BillingMetrics): void {
    this.metrics = new ChargedRequestMetrics(metrics);
  }

  async getPlan(organisationId: string): Promise<PricingPlan> {
    return this.repository.getPlan(organisationId);
  }

  async setPlan(organisationId: string, plan: PricingPlanInput): Promise<PricingPlan> {
    const parsed = pricingPlanSchema.parse(plan);
    await this.repository.setPlan(organisationId, parsed, this.clock.now().toISOString());
    this.terms.forget(organisationId);
    return parsed;
  }

  /** Forget what is cached about an organisation (a budget, account or plan changed); other servers see it within the cache time. */
  organisationChanged(organisationId: string): void {
    const forgotten = this.terms.forget(organisationId);
    if (forgotten?.account !== undefined) this.accountRefreshedAt.delete(`account:${forgotten.account.id}`);
  }

  private loader(organisationId: string): CounterLoader {
    // One per organisation, not a closure per request.
    let load = this.loaders.get(organisationId);
    if (load === undefined) {
      load = this.repository.counterLoader(organisationId);
      if (this.loaders.size > 10_000) this.loaders.clear();
      this.loaders.set(organisationId, load);
    }
    return load;
  }

  /** Account balances also move by top-ups elsewhere: re-read them every few seconds, off the hot path. */
  private refreshAccount(counter: HeldCounter, load: CounterLoader): void {
    const last = this.accountRefreshedAt.get(counter.key);
    const now = Date.now();
    if (last === undefined) {
      this.accountRefreshedAt.set(counter.key, now);
      return;
    }
    if (now - last < (this.options.termsCacheMilliseconds ?? 5_000)) return;
    this.accountRefreshedAt.set(counter.key, now);
    this.counters.refresh(counter.key, load).catch((error: unknown) => this.logger.error({ err: error }, 'billing: refreshing a balance failed'));
  }

  /**
   * reserve without waiting, for the usual request: its organisation's terms cached, its prices
   * remembered, its counters held at once. Undefined when any of that needs a wait (then reserve);
   * throws the same refusals as reserve.
   */
  reserveNow(admission: Admission): Reservation | undefined {
    const holdNow = this.counters.holdNow;
    if (holdNow === undefined) return undefined;
    const terms = this.terms.cached(admission.organisationId);
    if (terms === undefined) return undefined;
    const now = this.clock.now();
    const time = now.getTime();
    const currency = terms.account?.currency ?? this.options.config.currency;
    const rates = this.options.config.exchangeRates;
    let worstCase = 0;
    for (const name of admission.pricedModels) {
      const price = this.prices.remembered(name, time);
      if (price === undefined) return undefined;
      worstCase = Math.max(worstCase, worstCaseCost(price.price, admission.promptTokens, admission.maxOutputTokens, terms.plan, currency, rates));
    }
    const at = isoTime(now);
    const counters = this.countersToHold(admission, terms, worstCase, currency, at);
    const refused = holdNow.call(this.counters, counters);
    if (refused === holdNeedsWait) return undefined;
    return this.admitted(admission, terms, worstCase, currency, counters, at, refused);
  }

  async reserve(admission: Admission): Promise<Reservation> {
    const now = this.clock.now();
    const at = isoTime(now);
    const terms = this.terms.cached(admission.organisationId) ?? (await this.terms.get(admission.organisationId));
    const currency = terms.account?.currency ?? this.options.config.currency;
    const rates = this.options.config.exchangeRates;
    let worstCase = 0;
    const time = now.getTime();
    for (const name of admission.pricedModels) {
      const price = this.prices.remembered(name, time) ?? (await this.prices.priceFor(name, now));
      if (price !== undefined) worstCase = Math.max(worstCase, worstCaseCost(price.price, admission.promptTokens, admission.maxOutputTokens, terms.plan, currency, rates));
    }
    const counters = this.countersToHold(admission, terms, worstCase, currency, at);
    const refused = await this.counters.hold(counters, this.loader(admission.organisationId));
    return this.admitted(admission, terms, worstCase, currency, counters, at, refused);
  }

  /** The counters a request holds; refuses at once under a budget of zero. */
  private countersToHold(admission: Admission, terms: OrganisationTerms, worstCase: number, currency: Currency, at: string): HeldCounter[] {
    const counters = countersFor(admission, terms, worstCase, currency, this.options.config.exchangeRates, at);
    const zero = zeroBudget(counters);
    if (zero !== undefined) throw refusal(zero, { spent: 0, held: 0 });
    return counters;
  }

  /** What reserve and reserveNow do once the store answered the hold: refuse, or record the reservation. */
  private admitted(admission: Admission, terms: OrganisationTerms, worstCase: number, currency: Currency, counters: HeldCounter[], at: string, refused: HoldRefusal | undefined): Reservation {
    if (refused !== undefined) {
      const counter = counters[refused.index];
      if (counter !== undefined) throw refusal(counter, refused);
    }
    for (const counter of counters) if (counter.kind === 'account') this.refreshAccount(counter, this.loader(admission.organisationId));
    const reservation: Reservation = { requestId: admission.requestId, amount: worstCase, currency, admission, plan: terms.plan, counters };
    this.recorder.admitted(reservation, at);
    this.active.add(admission.requestId);
    return reservation;
  }

  async release(reservation: Reservation): Promise<void> {
    if (!this.active.delete(reservation.requestId)) return;
    await this.counters.apply(settlementMoves(reservation.counters, 0, true, false));
    if (!this.recorder.ended(reservation.requestId)) return;
    await this.writer.write({ kind: 'release', requestId: reservation.requestId });
  }

  /** Settles a request once; resolves when its ledger row is committed and its counters moved. */
  settle(reservation: Reservation, usage: SettledUsage): Promise<void> {
    const running = this.settling.get(reservation.requestId);
    if (running !== undefined) return running;
    const holding = this.active.delete(reservation.requestId);
    if (holding) {
      const settled = this.settleHeldNow(reservation, usage);
      if (settled !== undefined) {
        // A second settle of the request meanwhile gets this one's answer (removed when the batch answers).
        this.settling.set(reservation.requestId, settled);
        return settled;
      }
    }
    const settling = this.settleOnce(reservation, usage, holding).finally(() => this.settling.delete(reservation.requestId));
    this.settling.set(reservation.requestId, settling);
    return settling;
  }

  /**
   * The usual settlement, with nothing to wait for before its row is queued: this server's hold,
   * a remembered price, no plan counter to read. It keeps nothing per request while the batch
   * gathers (no promise, no suspended function: under load those lived for the whole window and
   * were a good part of metering's cost); the counters move when the batch answers
   * (heldSettlementWritten). Undefined when the request needs the general path.
   */
  private settleHeldNow(reservation: Reservation, usage: SettledUsage): Promise<void> | undefined {
    const { admission, plan, currency } = reservation;
    if (plan.kind === 'subscription' && isChargeable(usage, plan)) return undefined;
    if (plan.kind === 'pay_as_you_go' && plan.volume_tiers.length > 0) return undefined;
    const now = this.clock.now();
    const price = this.prices.remembered(`${usage.providerId}/${usage.upstreamModel}`, now.getTime());
    if (price === undefined) return undefined;
    const ledger = ledgerRow(admission, currency, isoTime(now), usage, this.pricing(usage, price, plan, noPlanState, currency, admission.requestId));
    const settlement = settlementFor(ledger, reservation.counters, this.options.config.currency, this.recorder.ended(admission.requestId), admission.revenueShare ?? undefined);
    return this.writer.append({ kind: 'settle', settlement, heldCounters: reservation.counters });
  }

  /** The batch's answer for a settlement of settleHeldNow: release its holds, and count its spend when its row is new. */
  private heldSettlementWritten(item: MeteringWrite, inserted: boolean, error: unknown): void {
    if (item.kind !== 'settle' || item.heldCounters === undefined) return;
    const { ledger } = item.settlement;
    this.settling.delete(ledger.request_id);
    const counters = item.heldCounters;
    const cost = Number(ledger.cost);
    const charged = inserted && error === undefined;
    this.counters.apply(settlementMoves(counters, cost, true, charged)).catch((failure: unknown) => this.logger.error({ err: failure, requestId: ledger.request_id }, 'billing: moving counters failed'));
    if (error !== undefined) {
      // As on the general path: the hold is freed, and a written reservation row lets a restart record the request as interrupted.
      this.logger.error({ err: error, requestId: ledger.request_id }, 'billing: recording a settlement failed');
      return;
    }
    if (!charged) return;
    this.metrics?.count(ledger.organisation_id, ledger.model, ledger.currency, cost, { promptTokens: Number(ledger.prompt_tokens), completionTokens: Number(ledger.completion_tokens), cachedTokens: Number(ledger.cached_tokens) });
    if (cost > 0) this.checkSoftLimits(counters, ledger.organisation_id, ledger.created_at);
  }

  private pricing(usage: SettledUsage, price: GatewayPrice | undefined, plan: PricingPlan, state: PlanState, currency: Currency, requestId: string): Pricing {
    return priceRequestOrFree(usage, price, plan, state, currency, this.options.config.exchangeRates, (error) => this.logger.error({ err: error, requestId }, 'billing: could not convert the price; the request is recorded at no cost'));
  }

  private checkSoftLimits(counters: readonly HeldCounter[], organisationId: string, at: string): void {
    const load = this.loader(organisationId);
    this.notifier.checkCounters(counters, organisationId, (key) => this.counters.read(key, load), at);
  }

  private async settleOnce(reservation: Reservation, usage: SettledUsage, holding: boolean): Promise<void> {
    const { admission, plan, currency } = reservation;
    const now = this.clock.now();
    const at = isoTime(now);
    const load = this.loader(admission.organisationId);
    let coveredTokens = 0;
    let monthSpend = 0;
    // Plan counters move only for a reservation this server holds, so a duplicate settle cannot use an allowance twice.
    if (holding && plan.kind === 'subscription' && isChargeable(usage, plan)) {
      coveredTokens = await this.counters.consume(`tokens:${admission.organisationId}:${periodStart(plan.period, at)}`, usage.promptTokens + usage.completionTokens, plan.included_tokens, load);
    }
    const volumeTiers = plan.kind === 'pay_as_you_go' && plan.volume_tiers.length > 0;
    const spendKey = volumeTiers ? `spend:${admission.organisationId}:${at.slice(0, 7)}` : '';
    if (volumeTiers) monthSpend = await this.counters.read(spendKey, load);
    // The answering deployment's price, else the public name's; remembered prices need no await.
    const deployment = `${usage.providerId}/${usage.upstreamModel}`;
    const price = this.prices.remembered(deployment, now.getTime()) ?? (await this.prices.priceOf([deployment, admission.publicModel], now));
    const pricing = this.pricing(usage, price, plan, { coveredTokens, monthSpend }, currency, admission.requestId);
    // Read from the admission's fields: copying every field of it (a spread) cost more than the row.
    const ledger = ledgerRow(admission, currency, at, usage, pricing);
    let inserted: boolean;
    try {
      inserted = await this.writer.write({ kind: 'settle', settlement: settlementFor(ledger, reservation.counters, this.options.config.currency, this.recorder.ended(admission.requestId), admission.revenueShare ?? undefined) });
    } catch (error) {
      // The reservation row stays, so a restart records the request as interrupted; the hold is freed now.
      if (holding) await this.counters.apply(settlementMoves(reservation.counters, 0, true, false));
      throw error;
    }
    const moves = settlementMoves(reservation.counters, pricing.cost, holding, inserted);
    if (inserted && volumeTiers) moves.push({ key: spendKey, released: 0, spent: pricing.cost });
    await this.counters.apply(moves);
    if (!inserted) return;
    this.metrics?.count(admission.organisationId, admission.publicModel, currency, pricing.cost, usage);
    if (pricing.cost > 0) this.checkSoftLimits(reservation.counters, admission.organisationId, at);
  }

  /** Resolves when every reservation, release and settlement made so far is committed, its counters moved, and soft-limit notices are sent. */
  async flush(): Promise<void> {
    await Promise.all([...this.settling.values()].map(async (settling) => settling.catch(() => undefined)));
    await this.writer.flush();
    await this.counters.flush();
    await this.notifier.flush();
  }

  async close(): Promise<void> {
    this.recorder.writeAll();
    await this.flush();
    await this.counters.close();
  }
}
