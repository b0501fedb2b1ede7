// A usage_ledger row for tests that insert the ledger directly (reports, statements).
export function ledgerRow(overrides: { request_id: string; created_at: string } & Partial<Record<string, unknown>>) {
  return {
    organisation_id: 'org_a',
    project_id: 'proj_a',
    key_id: 'key_a',
    user_id: null,
    model: 'chat-default',
    provider: 'openai',
    upstream_model: 'gpt-4o-mini',
    gpt_id: null,
    prompt_tokens: 100,
    completion_tokens: 50,
    cached_tokens: 10,
    reasoning_tokens: 5,
    estimated: 0,
    price_model_id: null,
    price_effective_from: null,
    cost: 1_000,
    currency: 'USD',
    latency_ms: 12.5,
    time_to_first_token_ms: null,
    status: 'ok',
    error_code: null,
    transaction_id: null,
    day: overrides.created_at.slice(0, 10),
    ...overrides,
  };
}
