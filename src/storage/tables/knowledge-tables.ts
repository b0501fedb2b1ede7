// GPT knowledge: documents, chunks, search indexes and live sources, as Kysely sees them. Timestamps are ISO-8601 UTC text.

// Filled in by the migration of this group; empty until then.
export type KnowledgeTables = Record<never, never>;
