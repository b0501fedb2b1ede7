// The catalogue: one row a model card (the card as JSON text, plus the columns searches filter
// on) and one row a price version. Money is bigint micro-units; timestamps are ISO text.
import type { Kysely, Migration } from 'kysely';

export const catalogMigration: Migration = {
  async up(database: Kysely<unknown>): Promise<void> {
    await database.schema
      .createTable('catalog_models')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('card', 'text', (column) => column.notNull())
      .addColumn('name', 'text', (column) => column.notNull())
      .addColumn('vendor', 'text', (column) => column.notNull())
      .addColumn('release_date', 'text', (column) => column.notNull())
      .addColumn('context_window', 'bigint')
      .addColumn('license_id', 'text', (column) => column.notNull())
      .addColumn('deprecated_at', 'text')
      .addColumn('sunset_date', 'text')
      .addColumn('replacement', 'text')
      .addColumn('created_at', 'text', (column) => column.notNull())
      .addColumn('updated_at', 'text', (column) => column.notNull())
      .execute();
    await database.schema.createIndex('catalog_models_vendor').on('catalog_models').column('vendor').execute();
    await database.schema
      .createTable('catalog_prices')
      .addColumn('model_id', 'text', (column) => column.notNull().references('catalog_models.id').onDelete('cascade'))
      .addColumn('effective_from', 'text', (column) => column.notNull())
      .addColumn('currency', 'text', (column) => column.notNull())
      .addColumn('input_per_million_tokens', 'bigint', (column) => column.notNull())
      .addColumn('output_per_million_tokens', 'bigint', (column) => column.notNull())
      .addColumn('cached_input_per_million_tokens', 'bigint')
      .addColumn('per_request', 'bigint', (column) => column.notNull())
      .addColumn('free_tier', 'text')
      .addColumn('source', 'text')
      .addColumn('created_at', 'text', (column) => column.notNull())
      .addPrimaryKeyConstraint('catalog_prices_primary_key', ['model_id', 'effective_from'])
      .execute();
  },
  async down(database: Kysely<unknown>): Promise<void> {
    await database.schema.dropTable('catalog_prices').execute();
    await database.schema.dropTable('catalog_models').execute();
  },
};
