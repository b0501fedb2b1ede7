// The catalogue card e2e tests create to give an upstream model a price: a small text model with
// an MIT licence, priced in USD per million tokens from 2024-01-01.

export interface PricedCardOptions {
  readonly id: string;
  readonly name?: string;
  readonly description: string;
  readonly deployments: readonly Record<string, string>[];
  readonly inputPerMillion: number;
  readonly outputPerMillion: number;
}

/** The body of `POST /admin/v1/models` for such a card. */
export function pricedModelCard(options: PricedCardOptions): Record<string, unknown> {
  return {
    id: options.id,
    name: options.name ?? options.id,
    vendor: 'Test Vendor',
    release_date: '2024-01-01',
    description: options.description,
    capability: { context_window: 32_000, input_modalities: ['text'], output_modalities: ['text'] },
    openness: {},
    license: { id: 'MIT' },
    deployments: options.deployments,
    prices: [{ effective_from: '2024-01-01', currency: 'USD', input_per_million_tokens: options.inputPerMillion, output_per_million_tokens: options.outputPerMillion }],
  };
}
