// Prometheus counters for metered spend and tokens, by organisation and public model. The server
// passes its registry (BillingService.useMetrics(registerBillingMetrics(registry))); each settled
// request that was charged adds to them once.
import { Counter, type Registry } from 'prom-client';

export interface BillingMetrics {
  readonly spend: Counter<'organisation' | 'model' | 'currency'>;
  readonly tokens: Counter<'organisation' | 'model' | 'kind'>;
}

export function registerBillingMetrics(registry: Registry): BillingMetrics {
  return {
    spend: new Counter({
      name: 'modelmart_billing_spend_micro_units_total',
      help: 'Metered spend in micro-units (1 unit = 1,000,000) of the currency charged, by organisation and public model.',
      labelNames: ['organisation', 'model', 'currency'],
      registers: [registry],
    }),
    tokens: new Counter({
      name: 'modelmart_billing_tokens_total',
      help: 'Tokens on the usage ledger, by organisation, public model and kind (prompt, completion, cached).',
      labelNames: ['organisation', 'model', 'kind'],
      registers: [registry],
    }),
  };
}
