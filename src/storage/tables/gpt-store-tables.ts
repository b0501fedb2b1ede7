// The GPT store: ratings, reviews, builder profiles, reports and moderation, as Kysely sees them. Timestamps are ISO-8601 UTC text.

// Filled in by the migration of this group; empty until then.
export type GptStoreTables = Record<never, never>;
