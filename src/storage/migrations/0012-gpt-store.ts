// The GPT store: ratings, reviews, builder profiles, reports and moderation.
import type { Kysely, Migration } from 'kysely';

export const gptStoreMigration: Migration = {
  async up(_database: Kysely<unknown>): Promise<void> {
    // Tables are added here by the work that owns this group.
  },
  async down(_database: Kysely<unknown>): Promise<void> {},
};
