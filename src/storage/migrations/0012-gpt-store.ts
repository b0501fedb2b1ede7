// The GPT store: ratings, reviews, builder profiles, reports and moderation.
import type { Kysely, Migration } from 'kysely';

export const gptStoreMigration: Migration = {
  async up(database: Kysely<unknown>): Promise<void> {
    const schema = database.schema;
    await schema
      .createTable('gpt_ratings')
      .addColumn('gpt_id', 'text', (column) => column.notNull())
      .addColumn('rater_id', 'text', (column) => column.notNull())
      .addColumn('organisation_id', 'text', (column) => column.notNull())
      .addColumn('key_id', 'text', (column) => column.notNull())
      .addColumn('stars', 'integer', (column) => column.notNull())
      .addColumn('review', 'text')
      .addColumn('created_at', 'text', (column) => column.notNull())
      .addColumn('updated_at', 'text', (column) => column.notNull())
      .addPrimaryKeyConstraint('gpt_ratings_primary_key', ['gpt_id', 'rater_id'])
      .execute();
    // Reviews are read newest first per GPT.
    await schema.createIndex('gpt_ratings_gpt_updated').on('gpt_ratings').columns(['gpt_id', 'updated_at']).execute();
    await schema
      .createTable('builder_profiles')
      .addColumn('organisation_id', 'text', (column) => column.primaryKey())
      .addColumn('display_name', 'text', (column) => column.notNull())
      .addColumn('bio', 'text')
      .addColumn('website', 'text')
      .addColumn('created_at', 'text', (column) => column.notNull())
      .addColumn('updated_at', 'text', (column) => column.notNull())
      .execute();
    await schema
      .createTable('builder_domains')
      .addColumn('organisation_id', 'text', (column) => column.notNull())
      .addColumn('domain', 'text', (column) => column.notNull())
      .addColumn('token', 'text', (column) => column.notNull())
      .addColumn('method', 'text')
      .addColumn('verified_at', 'text')
      .addColumn('created_at', 'text', (column) => column.notNull())
      .addPrimaryKeyConstraint('builder_domains_primary_key', ['organisation_id', 'domain'])
      .execute();
    await schema
      .createTable('gpt_reports')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('gpt_id', 'text', (column) => column.notNull())
      .addColumn('reporter_id', 'text', (column) => column.notNull())
      .addColumn('reporter_organisation_id', 'text', (column) => column.notNull())
      .addColumn('reason', 'text', (column) => column.notNull())
      .addColumn('details', 'text')
      .addColumn('status', 'text', (column) => column.notNull())
      .addColumn('resolution', 'text')
      .addColumn('created_at', 'text', (column) => column.notNull())
      .addColumn('resolved_at', 'text')
      .addColumn('resolved_by', 'text')
      .execute();
    await schema.createIndex('gpt_reports_status_created').on('gpt_reports').columns(['status', 'created_at']).execute();
    await schema.createIndex('gpt_reports_gpt_status').on('gpt_reports').columns(['gpt_id', 'status']).execute();
    // Trending counts a GPT's calls over the last 7 days, and creator stats read 30 days of them.
    await schema.createIndex('usage_ledger_gpt_created').on('usage_ledger').columns(['gpt_id', 'created_at']).execute();
  },
  async down(database: Kysely<unknown>): Promise<void> {
    await database.schema.dropIndex('usage_ledger_gpt_created').execute();
    for (const table of ['gpt_reports', 'builder_domains', 'builder_profiles', 'gpt_ratings']) {
      await database.schema.dropTable(table).execute();
    }
  },
};
