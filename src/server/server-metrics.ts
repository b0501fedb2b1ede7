// Prometheus metrics for the HTTP server: requests by route and status, latency, in flight.
// Each server owns its registry, so several servers in one process (tests) never collide.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { UsageEvent } from '../routing/index.js';

export interface ServerMetrics {
  readonly registry: Registry;
  readonly requests: Counter<'method' | 'route' | 'status'>;
  readonly duration: Histogram<'method' | 'route'>;
  readonly inFlight: Gauge;
  readonly tokens: Counter<'model' | 'provider' | 'kind'>;
  readonly upstreamRequests: Counter<'model' | 'provider' | 'status'>;
}

export function createServerMetrics(): ServerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'modelmart_' });
  return {
    registry,
    requests: new Counter({
      name: 'modelmart_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status code.',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
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
    }),
    upstreamRequests: new Counter({
      name: 'modelmart_model_requests_total',
      help: 'Model requests by public model, answering provider and outcome (ok, error, cancelled).',
      labelNames: ['model', 'provider', 'status'],
      registers: [registry],
    }),
  };
}

/** Counts one request's usage event into the token and model-request metrics. */
export function recordUsageMetrics(metrics: ServerMetrics, event: UsageEvent): void {
  const labels = { model: event.publicModel, provider: event.providerId };
  metrics.upstreamRequests.inc({ ...labels, status: event.status });
  if (event.promptTokens > 0) metrics.tokens.inc({ ...labels, kind: 'prompt' }, event.promptTokens);
  if (event.completionTokens > 0) metrics.tokens.inc({ ...labels, kind: 'completion' }, event.completionTokens);
  if (event.cachedTokens > 0) metrics.tokens.inc({ ...labels, kind: 'cached' }, event.cachedTokens);
}
