// GPT definitions and their published versions, as Kysely sees them. Timestamps are ISO-8601 UTC text.

// Filled in by the migration of this group; empty until then.
export type GptTables = Record<never, never>;
