// Organisations, projects, users, key scopes, the audit log and encrypted provider credentials.
import type { Kysely, Migration } from 'kysely';

export const tenancyMigration: Migration = {
  async up(_database: Kysely<unknown>): Promise<void> {
    // Filled in by the change that builds this domain; a migration is never edited once released.
  },
};
