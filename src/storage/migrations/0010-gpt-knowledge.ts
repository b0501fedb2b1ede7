// GPT knowledge: documents, chunks, search indexes and live sources.
import type { Kysely, Migration } from 'kysely';

export const gptKnowledgeMigration: Migration = {
  async up(_database: Kysely<unknown>): Promise<void> {
    // Tables are added here by the work that owns this group.
  },
  async down(_database: Kysely<unknown>): Promise<void> {},
};
