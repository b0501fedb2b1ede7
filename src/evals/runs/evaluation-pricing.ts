// What a run's calls cost: token counts × the catalogue price in force, in integer micro-units.
import type { CatalogService } from '../../catalog/index.js';

export interface ModelPrice {
  readonly catalogModelId: string;
  readonly currency: string;
  /** Micro-units per million tokens. */
  readonly inputPerMillionTokens: number;
  readonly outputPerMillionTokens: number;
  readonly perRequest: number;
}

export function costOf(price: ModelPrice | null, promptTokens: number, completionTokens: number): number {
  if (price === null) return 0;
  return Math.round((promptTokens * price.inputPerMillionTokens + completionTokens * price.outputPerMillionTokens) / 1_000_000 + price.perRequest);
}

/** The card a gateway model name stands for (its id, a deployment route, or `<provider>/<model>`). */
export async function findCatalogModel(catalog: CatalogService | undefined, model: string): Promise<{ readonly id: string; readonly price: ModelPrice | null } | undefined> {
  if (catalog === undefined) return undefined;
  const verdict = await catalog.gatewayVerdict(model, undefined);
  if (verdict === undefined) return undefined;
  const card = await catalog.get(verdict.modelId);
  const price = card.price;
  return {
    id: card.id,
    price:
      price === null
        ? null
        : { catalogModelId: card.id, currency: price.currency, inputPerMillionTokens: price.input_per_million_tokens, outputPerMillionTokens: price.output_per_million_tokens, perRequest: price.per_request },
  };
}

export function formatMoney(microUnits: number, currency: string | null): string {
  if (currency === null) return 'unpriced';
  return `${currency} ${(microUnits / 1_000_000).toFixed(microUnits < 10_000 ? 6 : 4)}`;
}
