// The shapes the admin pages read from /admin/v1 (see docs/api.md). Only the fields the pages
// use are declared.
import type { Currency } from '../i18n/locale-format';

export type CircuitState = 'closed' | 'open' | 'half-open';

export interface TargetHealth {
  readonly target: string;
  readonly providerId: string;
  readonly upstreamModel: string;
  readonly state: CircuitState;
  readonly consecutiveFailures: number;
  readonly successCount: number;
  readonly failureCount: number;
  readonly latencyP50Milliseconds: number | null;
  readonly lastFailure: { readonly message: string; readonly at: string } | null;
}

export interface ProviderModel {
  readonly name: string;
  readonly upstream_name: string | null;
  readonly context_window: number | null;
  readonly max_output_tokens: number | null;
  readonly embedding: boolean;
}

export interface ConfiguredProvider {
  readonly id: string;
  readonly type: string | null;
  readonly preset: string | null;
  readonly base_url: string | null;
  readonly models: readonly ProviderModel[];
}

export type RouteStrategy = 'fallback' | 'weighted' | 'canary' | 'least-latency';

export interface RouteTargetBody {
  readonly provider: string;
  readonly model: string;
  readonly weight?: number;
}

/** The body of PUT /admin/v1/routes/{model}. */
export interface RouteDefinitionBody {
  readonly strategy: RouteStrategy;
  readonly canaryPercent?: number;
  readonly targets: readonly RouteTargetBody[];
}

export interface StoredRoute extends RouteDefinitionBody {
  readonly model: string;
  readonly source: 'admin' | 'file';
  readonly updated_at?: string;
  readonly updated_by?: string;
}

/** The body of POST /admin/v1/models/{id}/prices. */
export interface PriceVersionBody {
  readonly effective_from?: string;
  readonly currency: Currency;
  readonly input_per_million_tokens: number;
  readonly output_per_million_tokens: number;
}

export interface GptReport {
  readonly id: string;
  readonly gpt_id: string;
  readonly gpt_slug: string | null;
  readonly reporter_id: string;
  readonly reason: string;
  readonly details: string | null;
  readonly status: 'open' | 'resolved';
  readonly resolution: string | null;
  readonly created_at: string;
  readonly resolved_at: string | null;
}

export interface ModeratedGpt {
  readonly slug: string;
  readonly hidden: boolean;
  readonly hidden_reason: string | null;
  readonly featured: boolean;
  readonly resolved_reports: number;
}

export interface AuditEntry {
  readonly id: string;
  readonly actor_key_id: string;
  readonly actor_user_id: string | null;
  readonly action: string;
  readonly target_type: string;
  readonly target_id: string;
  readonly organisation_id: string | null;
  readonly before: unknown;
  readonly after: unknown;
  readonly request_id: string | null;
  readonly created_at: string;
}

export interface CursorPage<T> {
  readonly object: 'list';
  readonly data: readonly T[];
  readonly has_more: boolean;
  readonly next_cursor: string | null;
}
