// Prometheus counters for metered spend and tokens, by organisation and public model. The server
// passes its registry (BillingService.useMetrics(registerBillingMetrics(registry))); each settled
// request that was charged adds to them once. The adds are kept as plain numbers per label set and
// moved into the prom-client counters when the registry is read (a scrape): prom-client hashes and
// checks the labels on every inc, which costs more per settlement than the rest of its bookkeeping.
import { Counter, type Registry } from 'prom-client';

/** What settlement calls: the shape of a prom-client counter's inc with labels. */
export interface DeferredCounter<Label extends string> {
  inc(labels: Readonly<Record<Label, string>>, value: number): void;
}

export interface BillingMetrics {
  readonly spend: DeferredCounter<'organisation' | 'model' | 'currency'>;
  readonly tokens: DeferredCounter<'organisation' | 'model' | 'kind'>;
}

// Label sets seen between two scrapes; beyond this the pending map starts over (after moving its counts).
const mostLabelSets = 5_000;

interface PendingCount<Label extends string> {
  readonly labels: Readonly<Record<Label, string>>;
  value: number;
}

class PendingCounts<Label extends string> implements DeferredCounter<Label> {
  private readonly pending = new Map<string, PendingCount<Label>>();
  /**
   * The entry of a labels object seen before: a caller that keeps its label objects (settlement
   * does) then adds with one lookup, without joining the labels into a key each time. Treated as
   * read-only, as the interface says.
   */
  private byObject = new WeakMap<object, PendingCount<Label>>();

  constructor(private readonly labelNames: readonly Label[]) {}

  inc(labels: Readonly<Record<Label, string>>, value: number): void {
    const known = this.byObject.get(labels);
    if (known !== undefined) {
      known.value += value;
      return;
    }
    let key = '';
    for (const name of this.labelNames) key += `${labels[name]}\u0000`;
    let entry = this.pending.get(key);
    if (entry === undefined) {
      entry = { labels: { ...labels }, value };
      this.pending.set(key, entry);
    } else entry.value += value;
    this.byObject.set(labels, entry);
  }

  /** Moves the counts into the counter; entries stay (at zero) so steady label sets allocate nothing. */
  flushInto(counter: Counter<Label>): void {
    for (const entry of this.pending.values()) {
      if (entry.value > 0) counter.inc(entry.labels, entry.value);
      entry.value = 0;
    }
    if (this.pending.size > mostLabelSets) {
      this.pending.clear();
      // Entries no longer pending must not be added to again.
      this.byObject = new WeakMap();
    }
  }
}

export function registerBillingMetrics(registry: Registry): BillingMetrics {
  const spend = new PendingCounts(['organisation', 'model', 'currency'] as const);
  const tokens = new PendingCounts(['organisation', 'model', 'kind'] as const);
  new Counter({
    name: 'modelmart_billing_spend_micro_units_total',
    help: 'Metered spend in micro-units (1 unit = 1,000,000) of the currency charged, by organisation and public model.',
    labelNames: ['organisation', 'model', 'currency'],
    registers: [registry],
    collect() {
      spend.flushInto(this);
    },
  });
  new Counter({
    name: 'modelmart_billing_tokens_total',
    help: 'Tokens on the usage ledger, by organisation, public model and kind (prompt, completion, cached).',
    labelNames: ['organisation', 'model', 'kind'],
    registers: [registry],
    collect() {
      tokens.flushInto(this);
    },
  });
  return { spend, tokens };
}

/** The label sets of one organisation and model's metrics. */
interface RequestLabels {
  readonly spend: { readonly organisation: string; readonly model: string; readonly currency: string };
  readonly prompt: { readonly organisation: string; readonly model: string; readonly kind: string };
  readonly completion: { readonly organisation: string; readonly model: string; readonly kind: string };
  readonly cached: { readonly organisation: string; readonly model: string; readonly kind: string };
}

/**
 * What a settled, charged request adds to the metrics. Its label objects are made once per
 * organisation, model and currency and kept, so the pending counts find their entries by them:
 * a settlement adds to the metrics without building a label object or a key.
 */
export class ChargedRequestMetrics {
  private readonly labels = new Map<string, Map<string, RequestLabels>>();

  constructor(private readonly metrics: BillingMetrics) {}

  count(organisation: string, model: string, currency: string, cost: number, usage: { readonly promptTokens: number; readonly completionTokens: number; readonly cachedTokens: number }): void {
    const labels = this.labelsFor(organisation, model, currency);
    if (cost > 0) this.metrics.spend.inc(labels.spend, cost);
    if (usage.promptTokens > 0) this.metrics.tokens.inc(labels.prompt, usage.promptTokens);
    if (usage.completionTokens > 0) this.metrics.tokens.inc(labels.completion, usage.completionTokens);
    if (usage.cachedTokens > 0) this.metrics.tokens.inc(labels.cached, usage.cachedTokens);
  }

  private labelsFor(organisation: string, model: string, currency: string): RequestLabels {
    let byModel = this.labels.get(organisation);
    if (byModel === undefined) {
      if (this.labels.size > 10_000) this.labels.clear();
      byModel = new Map();
      this.labels.set(organisation, byModel);
    }
    let labels = byModel.get(model);
    if (labels === undefined || labels.spend.currency !== currency) {
      if (byModel.size > 1_000) byModel.clear();
      labels = {
        spend: { organisation, model, currency },
        prompt: { organisation, model, kind: 'prompt' },
        completion: { organisation, model, kind: 'completion' },
        cached: { organisation, model, kind: 'cached' },
      };
      byModel.set(model, labels);
    }
    return labels;
  }
}
