// Stored Responses API responses: each row keeps the conversation's input items as resolved
// (inherited ones included), so continuing with previous_response_id reads one row, not a chain.
import type { Kysely, Migration } from 'kysely';

export const responsesMigration: Migration = {
  async up(database: Kysely<unknown>): Promise<void> {
    await database.schema
      .createTable('responses')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('api_key_id', 'text', (column) => column.notNull())
      .addColumn('previous_response_id', 'text')
      .addColumn('model', 'text', (column) => column.notNull())
      .addColumn('status', 'text', (column) => column.notNull())
      .addColumn('input_items', 'text', (column) => column.notNull())
      .addColumn('output_items', 'text', (column) => column.notNull())
      .addColumn('usage', 'text')
      .addColumn('response_fields', 'text', (column) => column.notNull())
      .addColumn('created_at', 'text', (column) => column.notNull())
      .execute();
    await database.schema
      .createIndex('responses_api_key_id_created_at')
      .on('responses')
      .columns(['api_key_id', 'created_at'])
      .execute();
  },
  async down(database: Kysely<unknown>): Promise<void> {
    await database.schema.dropTable('responses').execute();
  },
};
