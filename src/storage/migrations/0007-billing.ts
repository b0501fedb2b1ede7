// Accounts and double-entry postings, credits, budgets, reservations and the usage ledger.
import type { Kysely, Migration } from 'kysely';

export const billingMigration: Migration = {
  async up(_database: Kysely<unknown>): Promise<void> {
    // Filled in by the change that builds this domain; a migration is never edited once released.
  },
};
