// The shapes the app reads from Modelmart's store, gateway and admin APIs (see docs/api.md).
// Only the fields the pages use are declared.
import type { Currency } from '../i18n/locale-format';

export type CommercialUse = 'yes' | 'conditional' | 'no';
export type MofClass = 'I' | 'II' | 'III';

export interface PriceVersion {
  readonly effective_from: string;
  readonly currency: Currency;
  readonly input_per_million_tokens: number;
  readonly output_per_million_tokens: number;
  readonly cached_input_per_million_tokens: number | null;
  readonly per_request: number;
  readonly free_tier: string | null;
  readonly source: string | null;
}

export interface BenchmarkSetting {
  readonly shots?: number;
  readonly chain_of_thought?: boolean;
  readonly pass_at?: number;
  readonly note?: string;
}

export type BenchmarkSource =
  | { readonly kind: 'published'; readonly citation_url: string; readonly published_at: string }
  | { readonly kind: 'measured'; readonly evaluation_run_id: string; readonly measured_at?: string };

export interface BenchmarkResult {
  readonly benchmark: string;
  readonly score: number;
  readonly setting: BenchmarkSetting;
  readonly source: BenchmarkSource;
}

export interface LicenseTerms {
  readonly name: string;
  readonly url: string | null;
  readonly open_source: boolean;
  readonly commercial_use: CommercialUse;
  readonly monthly_active_users_threshold: number | null;
  readonly annual_revenue_threshold_usd: number | null;
  readonly attribution: string | null;
  readonly derivative_naming: string | null;
  readonly outputs_may_train_other_models: boolean;
  readonly acceptable_use_policy_url: string | null;
  readonly gated: boolean;
  readonly conditions: readonly string[];
}

export interface ComponentRelease {
  readonly public: boolean;
  readonly license?: string;
  readonly url?: string;
}

export interface Deployment {
  readonly kind: 'public-cloud-api' | 'private' | 'edge';
  readonly provider?: string;
  readonly model?: string;
  readonly route?: string;
  readonly region?: string;
}

export interface ModelCard {
  readonly id: string;
  readonly name: string;
  readonly vendor: string;
  readonly family?: string;
  readonly release_date: string;
  readonly description: string;
  readonly languages: readonly string[];
  readonly parameters?: { readonly total?: number; readonly active?: number };
  readonly capability: {
    readonly context_window: number | null;
    readonly max_output_tokens?: number;
    readonly input_modalities: readonly string[];
    readonly output_modalities: readonly string[];
    readonly tools: boolean;
    readonly json_schema_output: boolean;
    readonly reasoning: boolean;
    readonly embeddings: boolean;
  };
  readonly openness: Readonly<Partial<Record<string, ComponentRelease>>>;
  readonly license: { readonly id: string; readonly terms: LicenseTerms };
  readonly deployments: readonly Deployment[];
  readonly market: { readonly industries: readonly string[]; readonly scenarios: readonly string[] };
  readonly benchmarks: readonly BenchmarkResult[];
  readonly sources: readonly string[];
  readonly mof_class: MofClass | null;
  readonly open_weights: boolean;
  readonly price: PriceVersion | null;
  readonly deprecation: { readonly deprecated_at: string; readonly sunset_date: string | null; readonly replacement: string | null } | null;
}

export interface ModelDetail extends ModelCard {
  readonly price_history: readonly PriceVersion[];
}

export interface ListPage<T> {
  readonly object: 'list';
  readonly data: readonly T[];
  readonly has_more?: boolean;
  readonly next_cursor?: string | null;
}

export interface ComparisonCell {
  readonly score: number;
  readonly setting: BenchmarkSetting;
  readonly source: BenchmarkSource;
}

export interface Comparison {
  readonly object: 'comparison';
  readonly models: readonly ModelCard[];
  readonly benchmarks: readonly { readonly benchmark: string; readonly scores: Readonly<Record<string, ComparisonCell | null>> }[];
}

export interface LeaderboardScore {
  readonly measured: { readonly score: number; readonly setting: BenchmarkSetting; readonly evaluation_run_id: string; readonly measured_at?: string } | null;
  readonly published: { readonly score: number; readonly setting: BenchmarkSetting; readonly citation_url: string; readonly published_at: string } | null;
}

export interface LeaderboardRow {
  readonly model: { readonly id: string; readonly name: string; readonly vendor: string; readonly open_weights: boolean; readonly mof_class: MofClass | null; readonly price: PriceVersion | null; readonly license: string };
  readonly scores: Readonly<Record<string, LeaderboardScore>>;
}

export interface Leaderboard {
  readonly object: 'leaderboard';
  readonly benchmarks: readonly string[];
  readonly sort: string;
  readonly has_more: boolean;
  readonly next_cursor: string | null;
  readonly data: readonly LeaderboardRow[];
}

export interface GatewayModel {
  readonly id: string;
  readonly owned_by: string;
}

export interface KeyScopes {
  readonly allowed_models: readonly string[] | null;
  readonly denied_models: readonly string[] | null;
  readonly allowed_gpts: readonly string[] | null;
  readonly ip_allow_list: readonly string[] | null;
}

export interface ApiKeyRecord {
  readonly id: string;
  readonly name: string;
  readonly display_hint: string;
  readonly role: string;
  readonly organisation_id: string;
  readonly project_id: string;
  readonly scopes: KeyScopes;
  readonly expires_at: string | null;
  readonly requests_per_minute: number | null;
  readonly tokens_per_minute: number | null;
  readonly created_at: string;
  readonly revoked_at: string | null;
  readonly last_used_at: string | null;
}

export interface CreatedApiKey extends ApiKeyRecord {
  readonly key: string;
}

export interface UsageRow {
  readonly day?: string;
  readonly model?: string;
  readonly project_id?: string;
  readonly currency: Currency;
  readonly requests: number;
  readonly prompt_tokens: number;
  readonly completion_tokens: number;
  readonly cost: number;
}

export interface UsageReport {
  readonly object: 'usage_report';
  readonly from: string;
  readonly to: string;
  readonly data: readonly UsageRow[];
}

export interface Organisation {
  readonly id: string;
  readonly name: string;
}

export interface Balance {
  readonly currency: Currency;
  readonly mode: string;
  readonly credit_limit: number | null;
  readonly balance: number;
  readonly available: number | null;
  readonly exists: boolean;
}
