// The immutable answer to "where does model X go": built once from the configuration at start,
// then only read. Nothing here is merged per request.

export type RoutingStrategy = 'fallback' | 'weighted' | 'canary' | 'least-latency';

export interface RouteTarget {
  readonly providerId: string;
  /** The name the upstream knows the model by. */
  readonly upstreamModel: string;
  /** `<provider id>/<model name>`: how clients and health records name this deployment. */
  readonly publicModelId: string;
  readonly weight: number;
  readonly contextWindow?: number;
  readonly maxOutputTokens?: number;
  /** An embeddings model: never sent chat requests. */
  readonly embedding: boolean;
  /** The provider's own timeout, which bounds each attempt on this target. */
  readonly timeoutMilliseconds?: number;
}

export interface RoutePlan {
  /** The name the client asked for: a route name or `<provider id>/<model>`. */
  readonly publicName: string;
  readonly strategy: RoutingStrategy;
  readonly targets: readonly RouteTarget[];
  /** Share of traffic (0–100) sent to the last target under the canary strategy. */
  readonly canaryPercent?: number;
}

/** One entry of GET /v1/models, in the OpenAI list shape. */
export interface ListedModel {
  readonly id: string;
  readonly object: 'model';
  readonly created: number;
  readonly owned_by: string;
}
