// GPT actions: tool sources and encrypted secrets.
import type { Kysely, Migration } from 'kysely';

export const gptActionsMigration: Migration = {
  async up(_database: Kysely<unknown>): Promise<void> {
    // Tables are added here by the work that owns this group.
  },
  async down(_database: Kysely<unknown>): Promise<void> {},
};
