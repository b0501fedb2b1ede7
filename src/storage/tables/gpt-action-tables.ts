// GPT actions: OpenAPI and MCP tool sources and their encrypted secrets, as Kysely sees them. Timestamps are ISO-8601 UTC text.

/** One tool source of a GPT's draft: an imported OpenAPI document or an MCP server. */
export interface GptActionsTable {
  /** `act_` followed by a sequential id. */
  id: string;
  /** The GPT's id, plain text: the action group does not depend on the definitions' tables. */
  gpt_id: string;
  /** openapi | mcp */
  kind: string;
  name: string;
  /**
   * JSON: for openapi the resolved document's base URL and tools (src/gpts/actions/gpt-action-schemas.ts),
   * for mcp the server URL and the tools it listed.
   */
  definition: string;
  /** JSON: the auth type and where it goes (header name, query parameter, token URL, scopes); never the secret. */
  auth: string;
  created_at: string;
  updated_at: string;
  created_by_key_id: string;
}

/** The secret of an action's auth (API key, bearer token, OAuth client secret), AES-256-GCM sealed. */
export interface GptActionSecretsTable {
  action_id: string;
  /** base64 */
  ciphertext: string;
  /** base64 */
  nonce: string;
  /** base64 */
  auth_tag: string;
  /** First 8 hex digits of the sealing key's SHA-256. */
  key_id: string;
  updated_at: string;
}

export interface GptActionTables {
  gpt_actions: GptActionsTable;
  gpt_action_secrets: GptActionSecretsTable;
}
