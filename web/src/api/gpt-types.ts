// The shapes the GPT pages read from the store and builder APIs (docs/gpts.md). Only the fields
// the pages use are declared.
export const gptCategories = ['writing', 'productivity', 'research', 'programming', 'education', 'lifestyle', 'data-analysis', 'other'] as const;
export type GptCategory = (typeof gptCategories)[number];

export const gptSorts = ['trending', 'top_rated', 'new', 'featured'] as const;
export type GptSort = (typeof gptSorts)[number];

export const gptVisibilities = ['private', 'organisation', 'link', 'public'] as const;
export type GptVisibility = (typeof gptVisibilities)[number];

export const reportReasons = ['spam', 'harmful', 'illegal', 'impersonation', 'intellectual_property', 'privacy', 'other'] as const;
export type ReportReason = (typeof reportReasons)[number];

export interface GptCapabilities {
  readonly knowledge: boolean;
  readonly actions: boolean;
}

export interface StoreBuilder {
  readonly organisation_id: string;
  readonly name: string;
  readonly verified: boolean;
}

export interface StoreGpt {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly description: string;
  readonly avatar_url: string | null;
  readonly category: string | null;
  readonly base_model: string;
  readonly visibility: string;
  readonly latest_version: number | null;
  readonly published_at: string | null;
  readonly rating: { readonly average: number | null; readonly count: number };
  readonly calls_last_7_days: number;
  readonly featured: boolean;
  readonly builder: StoreBuilder;
}

export interface StorePage<Item> {
  readonly data: readonly Item[];
  readonly has_more: boolean;
  readonly next_cursor: string | null;
}

export interface GptCategoryCount {
  readonly category: string;
  readonly count: number;
}

export interface RatingSummary {
  readonly average: number | null;
  readonly count: number;
  readonly histogram: Readonly<Record<'1' | '2' | '3' | '4' | '5', number>>;
}

/** A GPT's draft as its editors see it (POST, PATCH and the page's `draft`). */
export interface GptDraft {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly description: string;
  readonly avatar_url: string | null;
  readonly category: string | null;
  readonly base_model: string;
  readonly instructions: string;
  readonly conversation_starters: readonly string[];
  readonly capabilities: GptCapabilities;
  readonly visibility: GptVisibility;
  readonly latest_version: number | null;
  readonly published_at: string | null;
  readonly updated_at: string;
}

export interface StoreGptDetail extends StoreGpt {
  readonly conversation_starters: readonly string[];
  readonly rating_summary: RatingSummary;
  readonly editable: boolean;
  readonly hidden: boolean;
  /** The latest published version's capabilities; null before the first publication. */
  readonly capabilities?: GptCapabilities | null;
  readonly draft?: GptDraft;
}

export interface GptVersion {
  readonly version: number;
  readonly published_at: string;
  readonly capabilities?: GptCapabilities;
  readonly conversation_starters?: readonly string[];
}

export interface StoreReview {
  readonly stars: number;
  readonly review: string | null;
  readonly author_name: string | null;
  readonly created_at: string;
}

export interface KnowledgeFile {
  readonly id: string;
  readonly title: string;
  readonly source: string;
  readonly bytes: number;
  readonly status: string;
  readonly error: string | null;
  readonly chunk_count: number;
  readonly fetched_at: string;
}

export interface KnowledgeStatus {
  readonly files: number;
  readonly chunks: number;
  readonly bytes: number;
  readonly limits: { readonly max_files: number; readonly max_file_bytes: number; readonly max_total_bytes: number };
  readonly retrieval: string;
}

export interface GptActionTool {
  readonly name: string;
  readonly description?: string;
}

export type ActionAuth =
  | { readonly type: 'none' }
  | { readonly type: 'bearer' }
  | { readonly type: 'api_key'; readonly in: 'header' | 'query'; readonly name: string }
  | { readonly type: 'oauth2_client_credentials'; readonly token_url: string; readonly client_id: string; readonly scopes?: readonly string[] };

export interface GptAction {
  readonly id: string;
  readonly kind: 'openapi' | 'mcp';
  readonly name: string;
  readonly base_url: string | null;
  readonly auth: ActionAuth;
  readonly has_secret: boolean;
  readonly tools: readonly GptActionTool[];
}

export interface ActionTestResult {
  readonly ok: boolean;
  readonly content: string;
  readonly error?: { readonly code: string; readonly message: string };
  readonly durationMilliseconds?: number;
}

/** A citation of the `modelmart` extension of a GPT's answer. */
export interface GptCitation {
  readonly index: number;
  readonly title: string;
  readonly source: string;
  readonly date: string | null;
}
