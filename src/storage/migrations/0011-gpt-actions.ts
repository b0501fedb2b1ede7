// GPT actions: tool sources and encrypted secrets.
import type { Kysely, Migration } from 'kysely';

export const gptActionsMigration: Migration = {
  async up(database: Kysely<unknown>): Promise<void> {
    const schema = database.schema;
    await schema
      .createTable('gpt_actions')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('gpt_id', 'text', (column) => column.notNull())
      .addColumn('kind', 'text', (column) => column.notNull())
      .addColumn('name', 'text', (column) => column.notNull())
      .addColumn('definition', 'text', (column) => column.notNull())
      .addColumn('auth', 'text', (column) => column.notNull())
      .addColumn('created_at', 'text', (column) => column.notNull())
      .addColumn('updated_at', 'text', (column) => column.notNull())
      .addColumn('created_by_key_id', 'text', (column) => column.notNull())
      .execute();
    await schema.createIndex('gpt_actions_gpt').on('gpt_actions').column('gpt_id').execute();
    await schema
      .createTable('gpt_action_secrets')
      .addColumn('action_id', 'text', (column) => column.primaryKey())
      .addColumn('ciphertext', 'text', (column) => column.notNull())
      .addColumn('nonce', 'text', (column) => column.notNull())
      .addColumn('auth_tag', 'text', (column) => column.notNull())
      .addColumn('key_id', 'text', (column) => column.notNull())
      .addColumn('updated_at', 'text', (column) => column.notNull())
      .execute();
  },
  async down(database: Kysely<unknown>): Promise<void> {
    await database.schema.dropTable('gpt_action_secrets').execute();
    await database.schema.dropTable('gpt_actions').execute();
  },
};
