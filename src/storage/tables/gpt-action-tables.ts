// GPT actions: OpenAPI and MCP tool sources and their encrypted secrets, as Kysely sees them. Timestamps are ISO-8601 UTC text.

// Filled in by the migration of this group; empty until then.
export type GptActionTables = Record<never, never>;
