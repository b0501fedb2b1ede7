// Web sessions: the browser signs in once with an API key and then holds only an HTTP-only cookie.
import type { Kysely, Migration } from 'kysely';

export const webSessionsMigration: Migration = {
  async up(database: Kysely<unknown>): Promise<void> {
    const schema = database.schema;
    await schema
      .createTable('web_sessions')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('token_hash', 'text', (column) => column.notNull().unique())
      .addColumn('api_key_id', 'text', (column) => column.notNull())
      .addColumn('csrf_token', 'text', (column) => column.notNull())
      .addColumn('created_at', 'text', (column) => column.notNull())
      .addColumn('last_seen_at', 'text', (column) => column.notNull())
      .addColumn('expires_at', 'text', (column) => column.notNull())
      .addColumn('revoked_at', 'text')
      .addColumn('user_agent', 'text')
      .execute();
    // The periodic clean-up deletes by absolute expiry; revoking a key's sessions looks them up by key.
    await schema.createIndex('web_sessions_expires').on('web_sessions').column('expires_at').execute();
    await schema.createIndex('web_sessions_api_key').on('web_sessions').column('api_key_id').execute();
  },
  async down(database: Kysely<unknown>): Promise<void> {
    await database.schema.dropTable('web_sessions').execute();
  },
};
