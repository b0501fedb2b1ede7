// The audit log of admin changes and provider credentials encrypted at rest.
import type { Kysely, Migration } from 'kysely';

export const auditAndCredentialsMigration: Migration = {
  async up(database: Kysely<unknown>): Promise<void> {
    const schema = database.schema;
    await schema
      .createTable('audit_log')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('organisation_id', 'text')
      .addColumn('actor_key_id', 'text', (column) => column.notNull())
      .addColumn('actor_user_id', 'text')
      .addColumn('action', 'text', (column) => column.notNull())
      .addColumn('target_type', 'text', (column) => column.notNull())
      .addColumn('target_id', 'text', (column) => column.notNull())
      .addColumn('before', 'text')
      .addColumn('after', 'text')
      .addColumn('request_id', 'text')
      .addColumn('created_at', 'text', (column) => column.notNull())
      .execute();
    // Pages are read newest first by (created_at, id), alone or within one filter.
    await schema.createIndex('audit_log_created').on('audit_log').columns(['created_at', 'id']).execute();
    await schema.createIndex('audit_log_organisation').on('audit_log').columns(['organisation_id', 'created_at']).execute();
    await schema.createIndex('audit_log_actor').on('audit_log').columns(['actor_key_id', 'created_at']).execute();
    await schema.createIndex('audit_log_action').on('audit_log').columns(['action', 'created_at']).execute();
    await schema.createIndex('audit_log_target').on('audit_log').columns(['target_type', 'target_id']).execute();
    await schema
      .createTable('provider_credentials')
      .addColumn('provider_id', 'text', (column) => column.primaryKey())
      .addColumn('ciphertext', 'text', (column) => column.notNull())
      .addColumn('nonce', 'text', (column) => column.notNull())
      .addColumn('auth_tag', 'text', (column) => column.notNull())
      .addColumn('key_id', 'text', (column) => column.notNull())
      .addColumn('created_at', 'text', (column) => column.notNull())
      .addColumn('updated_at', 'text', (column) => column.notNull())
      .addColumn('updated_by', 'text', (column) => column.notNull())
      .execute();
  },
  async down(database: Kysely<unknown>): Promise<void> {
    await database.schema.dropTable('provider_credentials').execute();
    await database.schema.dropTable('audit_log').execute();
  },
};
