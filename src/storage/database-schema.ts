import type { BillingTables } from './tables/billing-tables.js';
import type { EvaluationTables } from './tables/evaluation-tables.js';
import type { GptActionTables } from './tables/gpt-action-tables.js';
import type { GptStoreTables } from './tables/gpt-store-tables.js';
import type { GptTables } from './tables/gpt-tables.js';
import type { KnowledgeTables } from './tables/knowledge-tables.js';
import type { SecurityTables } from './tables/security-tables.js';
import type { TenancyTables } from './tables/tenancy-tables.js';
import type { WebSessionTables } from './tables/web-session-tables.js';

// The tables Modelmart stores, as Kysely sees them. Timestamps are ISO-8601 UTC text in every
// dialect (sortable, identical on SQLite and PostgreSQL); money will be integer micro-units.

export interface SettingsTable {
  name: string;
  value: string;
  updated_at: string;
}

export interface ApiKeysTable {
  id: string;
  name: string;
  /** HMAC-SHA-256 of the key under the server secret, hex. The key itself is never stored. */
  key_hash: string;
  /** The first and last characters of the key, to recognise it in lists. */
  display_hint: string;
  role: string;
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}

/** A stored Responses API response; the JSON columns are text in every dialect. */
export interface ResponsesTable {
  id: string;
  /** The API key that created it: only that key may read, continue or delete it. */
  api_key_id: string;
  previous_response_id: string | null;
  model: string;
  status: string;
  /** JSON array: the conversation's input items as resolved, inherited ones first. */
  input_items: string;
  /** JSON array of output items. */
  output_items: string;
  /** JSON usage object, or null when the upstream reported none. */
  usage: string | null;
  /** JSON: the rest of the Response object (echoed parameters, error, incomplete details). */
  response_fields: string;
  created_at: string;
}

export interface RoutesTable {
  /** The public model name the route answers to. */
  model: string;
  /** The route as JSON: { strategy, canaryPercent?, targets: [{ provider, model, weight? }] }. */
  definition: string;
  updated_at: string;
  /** The id of the API key that last changed it. */
  updated_by: string;
}

/** A model card: the card body as JSON text, plus the columns kept beside it for lookups. */
export interface CatalogModelsTable {
  id: string;
  card: string;
  name: string;
  vendor: string;
  release_date: string;
  context_window: number | null;
  license_id: string;
  deprecated_at: string | null;
  /** YYYY-MM-DD after which calls are refused with 410. */
  sunset_date: string | null;
  replacement: string | null;
  created_at: string;
  updated_at: string;
}

/** One price version of a model; amounts are integer micro-units per million tokens. */
export interface CatalogPricesTable {
  model_id: string;
  effective_from: string;
  currency: string;
  input_per_million_tokens: number;
  output_per_million_tokens: number;
  cached_input_per_million_tokens: number | null;
  per_request: number;
  free_tier: string | null;
  source: string | null;
  created_at: string;
}

export interface CoreTables {
  settings: SettingsTable;
  api_keys: ApiKeysTable;
  responses: ResponsesTable;
  routes: RoutesTable;
  catalog_models: CatalogModelsTable;
  catalog_prices: CatalogPricesTable;
}

/** Every table; each domain's group lives in tables/ beside its migration. */
export type DatabaseSchema = CoreTables &
  EvaluationTables &
  TenancyTables &
  BillingTables &
  SecurityTables &
  GptTables &
  KnowledgeTables &
  GptActionTables &
  GptStoreTables &
  WebSessionTables;
