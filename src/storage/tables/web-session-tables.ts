// Signed-in web sessions, as Kysely sees them. Timestamps are ISO-8601 UTC text.

/** One browser session opened with an API key; the session token itself is never stored. */
export interface WebSessionsTable {
  id: string;
  /** HMAC-SHA-256 (hex) of the session token under the installation secret API keys are hashed with. */
  token_hash: string;
  /** The API key the session was opened with: its current state decides every request. */
  api_key_id: string;
  /**
   * The CSRF token unsafe requests must echo in x-csrf-token. Kept as is because it is no
   * credential alone (it proves nothing without the HTTP-only cookie) and a reloaded tab needs it back.
   */
  csrf_token: string;
  created_at: string;
  /** Moves forward as the session is used; the idle lifetime counts from here. */
  last_seen_at: string;
  /** The absolute end, whatever the use. */
  expires_at: string;
  revoked_at: string | null;
  user_agent: string | null;
}

export interface WebSessionTables {
  web_sessions: WebSessionsTable;
}
