// GPT definitions and their published versions, as Kysely sees them. Timestamps are ISO-8601 UTC text.

/** One GPT: its editable draft and a pointer to its latest published version. */
export interface GptsTable {
  /** `gpt_` followed by a sequential id. */
  id: string;
  /** Installation-wide unique; callers name the GPT as `gpt:<slug>`. */
  slug: string;
  organisation_id: string;
  project_id: string;
  creator_key_id: string;
  creator_user_id: string | null;
  name: string;
  description: string;
  avatar_url: string | null;
  category: string | null;
  base_model: string;
  instructions: string;
  /** JSON array of strings. */
  conversation_starters: string;
  /** JSON object { knowledge: boolean, actions: boolean }. */
  capabilities: string;
  /** private | organisation | link | public */
  visibility: string;
  revenue_share_basis_points: number;
  /** Null until the first publishing. */
  latest_version: number | null;
  published_at: string | null;
  hidden_at: string | null;
  hidden_reason: string | null;
  featured_at: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

/** One published, immutable version; nothing updates or deletes a row. */
export interface GptVersionsTable {
  gpt_id: string;
  version: number;
  /** JSON of the PublishedGpt (src/gpts/gpt-contracts.ts). */
  definition: string;
  published_at: string;
  published_by_key_id: string;
}

export interface GptTables {
  gpts: GptsTable;
  gpt_versions: GptVersionsTable;
}
