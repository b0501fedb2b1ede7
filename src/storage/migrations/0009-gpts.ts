// GPT definitions and their published versions.
import type { Kysely, Migration } from 'kysely';

export const gptsMigration: Migration = {
  async up(database: Kysely<unknown>): Promise<void> {
    const schema = database.schema;
    await schema
      .createTable('gpts')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('slug', 'text', (column) => column.notNull().unique())
      .addColumn('organisation_id', 'text', (column) => column.notNull())
      .addColumn('project_id', 'text', (column) => column.notNull())
      .addColumn('creator_key_id', 'text', (column) => column.notNull())
      .addColumn('creator_user_id', 'text')
      .addColumn('name', 'text', (column) => column.notNull())
      .addColumn('description', 'text', (column) => column.notNull().defaultTo(''))
      .addColumn('avatar_url', 'text')
      .addColumn('category', 'text')
      .addColumn('base_model', 'text', (column) => column.notNull())
      .addColumn('instructions', 'text', (column) => column.notNull().defaultTo(''))
      .addColumn('conversation_starters', 'text', (column) => column.notNull().defaultTo('[]'))
      .addColumn('capabilities', 'text', (column) => column.notNull())
      .addColumn('visibility', 'text', (column) => column.notNull())
      .addColumn('revenue_share_basis_points', 'integer', (column) => column.notNull())
      .addColumn('latest_version', 'integer')
      .addColumn('published_at', 'text')
      .addColumn('hidden_at', 'text')
      .addColumn('hidden_reason', 'text')
      .addColumn('featured_at', 'text')
      .addColumn('created_at', 'text', (column) => column.notNull())
      .addColumn('updated_at', 'text', (column) => column.notNull())
      .addColumn('deleted_at', 'text')
      .execute();
    await schema.createIndex('gpts_organisation').on('gpts').column('organisation_id').execute();
    // The store lists published GPTs by visibility.
    await schema.createIndex('gpts_visibility_latest_version').on('gpts').columns(['visibility', 'latest_version']).execute();
    await schema.createIndex('gpts_category').on('gpts').column('category').execute();
    await schema
      .createTable('gpt_versions')
      .addColumn('gpt_id', 'text', (column) => column.notNull())
      .addColumn('version', 'integer', (column) => column.notNull())
      .addColumn('definition', 'text', (column) => column.notNull())
      .addColumn('published_at', 'text', (column) => column.notNull())
      .addColumn('published_by_key_id', 'text', (column) => column.notNull())
      .addPrimaryKeyConstraint('gpt_versions_primary_key', ['gpt_id', 'version'])
      .execute();
  },
  async down(database: Kysely<unknown>): Promise<void> {
    await database.schema.dropTable('gpt_versions').execute();
    await database.schema.dropTable('gpts').execute();
  },
};
