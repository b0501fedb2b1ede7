// Evaluation runs, items as claimable jobs, and the response cache.
import type { Kysely, Migration } from 'kysely';

export const evaluationRunsMigration: Migration = {
  async up(_database: Kysely<unknown>): Promise<void> {
    // Filled in by the change that builds this domain; a migration is never edited once released.
  },
};
