// The audit log of admin changes and provider credentials encrypted at rest.
import type { Kysely, Migration } from 'kysely';

export const auditAndCredentialsMigration: Migration = {
  async up(_database: Kysely<unknown>): Promise<void> {
    // Filled in by the change that builds this domain; a migration is never edited once released.
  },
};
