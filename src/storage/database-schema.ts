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

export interface DatabaseSchema {
  settings: SettingsTable;
  api_keys: ApiKeysTable;
}
