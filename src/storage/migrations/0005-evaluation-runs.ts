// Evaluation runs, items as claimable jobs, and the response cache.
import type { Kysely, Migration } from 'kysely';

export const evaluationRunsMigration: Migration = {
  async up(database: Kysely<unknown>): Promise<void> {
    const schema = database.schema;
    await schema
      .createTable('evaluation_runs')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('benchmark', 'text', (column) => column.notNull())
      .addColumn('setting', 'text', (column) => column.notNull())
      .addColumn('model', 'text', (column) => column.notNull())
      .addColumn('parameters', 'text', (column) => column.notNull())
      .addColumn('status', 'text', (column) => column.notNull())
      .addColumn('total_items', 'bigint', (column) => column.notNull().defaultTo(0))
      .addColumn('done_items', 'bigint', (column) => column.notNull().defaultTo(0))
      .addColumn('failed_items', 'bigint', (column) => column.notNull().defaultTo(0))
      .addColumn('metrics', 'text')
      .addColumn('cost', 'bigint', (column) => column.notNull().defaultTo(0))
      .addColumn('cost_currency', 'text')
      .addColumn('catalog_model_id', 'text')
      .addColumn('finalized_by', 'text')
      .addColumn('error', 'text')
      .addColumn('created_at', 'text', (column) => column.notNull())
      .addColumn('started_at', 'text')
      .addColumn('finished_at', 'text')
      .addColumn('created_by', 'text')
      .execute();
    await schema.createIndex('evaluation_runs_model').on('evaluation_runs').columns(['model', 'created_at']).execute();
    await schema
      .createTable('evaluation_items')
      .addColumn('run_id', 'text', (column) => column.notNull().references('evaluation_runs.id').onDelete('cascade'))
      .addColumn('item_id', 'text', (column) => column.notNull())
      .addColumn('sample_index', 'bigint', (column) => column.notNull())
      .addColumn('position', 'bigint', (column) => column.notNull())
      .addColumn('status', 'text', (column) => column.notNull())
      .addColumn('claimed_by', 'text')
      .addColumn('claimed_at', 'text')
      .addColumn('attempts', 'bigint', (column) => column.notNull().defaultTo(0))
      .addColumn('request', 'text', (column) => column.notNull())
      .addColumn('response', 'text')
      .addColumn('score', 'text')
      .addColumn('error', 'text')
      .addColumn('prompt_tokens', 'bigint')
      .addColumn('completion_tokens', 'bigint')
      .addColumn('cost', 'bigint')
      .addColumn('cached', 'bigint', (column) => column.notNull().defaultTo(0))
      .addColumn('finished_at', 'text')
      .addPrimaryKeyConstraint('evaluation_items_primary_key', ['run_id', 'item_id', 'sample_index'])
      .addUniqueConstraint('evaluation_items_position', ['run_id', 'position'])
      .execute();
    await schema.createIndex('evaluation_items_claim').on('evaluation_items').columns(['run_id', 'status', 'position']).execute();
    await schema
      .createTable('evaluation_cache')
      .addColumn('key', 'text', (column) => column.primaryKey())
      .addColumn('model', 'text', (column) => column.notNull())
      .addColumn('response', 'text', (column) => column.notNull())
      .addColumn('prompt_tokens', 'bigint', (column) => column.notNull())
      .addColumn('completion_tokens', 'bigint', (column) => column.notNull())
      .addColumn('created_at', 'text', (column) => column.notNull())
      .execute();
  },
  async down(database: Kysely<unknown>): Promise<void> {
    await database.schema.dropTable('evaluation_cache').execute();
    await database.schema.dropTable('evaluation_items').execute();
    await database.schema.dropTable('evaluation_runs').execute();
  },
};
