// Prometheus metrics for the HTTP server: requests by route and status, latency, in flight.
// Each server owns its registry, so several servers in one process (tests) never collide.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { UsageEvent } from '../routing/index.js';

/**
 * Counts kept as plain numbers per label combination and added into their prom-client counter when
 * it is collected (a scrape): prom-client hashes and validates the labels on every inc, which on the
 * request path costs more than the rest of the metrics together.
 */
class DeferredCounts<Label extends string> {
  private readonly pending = new Map<string, { readonly labels: Partial<Record<Label, string>>; value: number }>();

  constructor(private readonly labelNames: readonly Label[]) {}

  add(values: readonly string[], amount: number): void {
    const key = values.join('\u0000');
    let entry = this.pending.get(key);
    if (entry === undefined) {
      const labels: Partial<Record<Label, string>> = {};
      this.labelNames.forEach((name, index) => {
        labels[name] = values[index] ?? '';
      });
      entry = { labels, value: 0 };
      this.pending.set(key, entry);
    }
    entry.value += amount;
  }

  /** Moves the counts into the counter; entries stay (with zero) so steady label sets allocate nothing. */
  flushInto(counter: Counter<Label>): void {
    for (const entry of this.pending.values()) {
      if (entry.value > 0) counter.inc(entry.labels, entry.value);
      entry.value = 0;
    }
    // Client-chosen labels could otherwise grow this without bound between scrapes.
    if (this.pending.size > 5_000) this.pending.clear();
  }
}

export interface ServerMetrics {
  readonly registry: Registry;
  readonly requests: Counter<'method' | 'route' | 'status'>;
  readonly duration: Histogram<'method' | 'route'>;
  readonly inFlight: Gauge;
  readonly tokens: Counter<'model' | 'provider' | 'kind'>;
  readonly upstreamRequests: Counter<'model' | 'provider' | 'status'>;
  /** Added into `requests`, `tokens` and `upstreamRequests` whenever the registry is read. */
  readonly deferred: {
    readonly requests: DeferredCounts<'method' | 'route' | 'status'>;
    readonly tokens: DeferredCounts<'model' | 'provider' | 'kind'>;
    readonly upstreamRequests: DeferredCounts<'model' | 'provider' | 'status'>;
  };
}

export function createServerMetrics(): ServerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'modelmart_' });
  const deferred = {
    requests: new DeferredCounts(['method', 'route', 'status'] as const),
    tokens: new DeferredCounts(['model', 'provider', 'kind'] as const),
    upstreamRequests: new DeferredCounts(['model', 'provider', 'status'] as const),
  };
  return {
    registry,
    deferred,
    requests: new Counter({
      name: 'modelmart_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status code.',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
      collect() {
        deferred.requests.flushInto(this);
      },
    }),
    duration: new Histogram({
      name: 'modelmart_http_request_duration_seconds',
      help: 'Time from request received to response finished, by method and route pattern.',
      labelNames: ['method', 'route'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [registry],
    }),
    inFlight: new Gauge({
      name: 'modelmart_http_requests_in_flight',
      help: 'HTTP requests being processed now.',
      registers: [registry],
    }),
    tokens: new Counter({
      name: 'modelmart_tokens_total',
      help: 'Tokens processed, by public model, answering provider and kind (prompt, completion, cached).',
      labelNames: ['model', 'provider', 'kind'],
      registers: [registry],
      collect() {
        deferred.tokens.flushInto(this);
      },
    }),
    upstreamRequests: new Counter({
      name: 'modelmart_model_requests_total',
      help: 'Model requests by public model, answering provider and outcome (ok, error, cancelled).',
      labelNames: ['model', 'provider', 'status'],
      registers: [registry],
      collect() {
        deferred.upstreamRequests.flushInto(this);
      },
    }),
  };
}

/** Counts one request's usage event into the token and model-request metrics. */
export function recordUsageMetrics(metrics: ServerMetrics, event: UsageEvent): void {
  const { deferred } = metrics;
  deferred.upstreamRequests.add([event.publicModel, event.providerId, event.status], 1);
  if (event.promptTokens > 0) deferred.tokens.add([event.publicModel, event.providerId, 'prompt'], event.promptTokens);
  if (event.completionTokens > 0) deferred.tokens.add([event.publicModel, event.providerId, 'completion'], event.completionTokens);
  if (event.cachedTokens > 0) deferred.tokens.add([event.publicModel, event.providerId, 'cached'], event.cachedTokens);
}

/** Counts one answered HTTP request (route is the pattern, never the raw URL, so labels stay few). */
export function recordRequestMetrics(metrics: ServerMetrics, method: string, route: string, status: number, seconds: number): void {
  metrics.deferred.requests.add([method, route, String(status)], 1);
  metrics.duration.observe({ method, route }, seconds);
}
