// The "metering on" Modelmart of the billing benchmarks: rate limits that never refuse, a priced
// model and an organisation budget, so every request checks limits, holds and settles money.
import { request } from 'undici';
import { upstreamModelName } from '../gateway/chat-fixtures.mjs';

// Limits high enough never to refuse, so every check and hold runs on every request.
export const meteredConfig = [
  'limits:',
  '  key: { requestsPerMinute: 100000000, tokensPerMinute: 100000000000 }',
  '  project: { requestsPerMinute: 100000000, tokensPerMinute: 100000000000 }',
  '  organisation: { requestsPerMinute: 100000000, tokensPerMinute: 100000000000 }',
];

async function admin(origin, adminKey, method, url, body) {
  const answer = await request(`${origin}${url}`, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${adminKey}` }, body: JSON.stringify(body) });
  const text = await answer.body.text();
  if (answer.statusCode >= 300) throw new Error(`${method} ${url} answered ${answer.statusCode}: ${text.slice(0, 300)}`);
}

/**
 * The benchmark upstream's model card with a price. Both sides of the comparison get it: a card
 * also turns on gateway work that is not metering (the context-window check counts prompt tokens,
 * the licence gate reads the card), and the comparison must differ by metering alone.
 */
export async function pricedModelCard(origin, adminKey) {
  await admin(origin, adminKey, 'POST', '/admin/v1/models', {
    id: 'bench-priced-model',
    name: 'Bench priced model',
    vendor: 'Bench',
    release_date: '2024-01-01',
    description: 'Prices the benchmark upstream so every request holds and settles money.',
    capability: { context_window: 128000, input_modalities: ['text'], output_modalities: ['text'] },
    openness: {},
    license: { id: 'MIT' },
    deployments: [{ kind: 'private', provider: 'bench-upstream', model: upstreamModelName }],
    prices: [{ effective_from: '2024-01-01', currency: 'USD', input_per_million_tokens: 150_000, output_per_million_tokens: 600_000 }],
  });
}

/** The priced card and a monthly budget on the organisation: reservations have a cost to hold and a limit to check. */
export async function priceAndBudget(origin, adminKey) {
  await pricedModelCard(origin, adminKey);
  await admin(origin, adminKey, 'POST', '/admin/v1/budgets', { scope_type: 'organisation', scope_id: 'org_default', period: 'month', currency: 'USD', hard_limit: 1_000_000_000_000_000 });
}


/** The startModelmart variant for metering off: the same card, `billing.metering: false`. */
export function unmeteredVariant(extra = {}) {
  return { name: 'unmetered', label: 'Modelmart, metering off', configLines: ['billing:', '  metering: false'], prepare: pricedModelCard, ...extra };
}

/** The startModelmart variant for metering on. */
export function meteredVariant(extra = {}) {
  return { name: 'metered', label: 'Modelmart, metering on', configLines: meteredConfig, prepare: priceAndBudget, ...extra };
}
