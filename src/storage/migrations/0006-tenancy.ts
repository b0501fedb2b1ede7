// Tenancy: organisations, projects, users and memberships; API keys gain an organisation, a
// project, an optional user, scopes, an expiry and rate limits. Every existing key moves into
// the default organisation and project (admin keys stay installation administrators).
import { sql, type Kysely, type Migration } from 'kysely';

const defaultOrganisationId = 'org_default';
const defaultProjectId = 'proj_default';

export const tenancyMigration: Migration = {
  async up(database: Kysely<unknown>): Promise<void> {
    const schema = database.schema;
    await schema
      .createTable('organisations')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('name', 'text', (column) => column.notNull())
      .addColumn('slug', 'text', (column) => column.notNull().unique())
      .addColumn('requests_per_minute', 'integer')
      .addColumn('tokens_per_minute', 'integer')
      .addColumn('created_at', 'text', (column) => column.notNull())
      .addColumn('archived_at', 'text')
      .execute();
    await schema
      .createTable('projects')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('organisation_id', 'text', (column) => column.notNull().references('organisations.id'))
      .addColumn('name', 'text', (column) => column.notNull())
      .addColumn('requests_per_minute', 'integer')
      .addColumn('tokens_per_minute', 'integer')
      .addColumn('created_at', 'text', (column) => column.notNull())
      .addColumn('archived_at', 'text')
      .execute();
    await schema.createIndex('projects_organisation').on('projects').columns(['organisation_id', 'created_at']).execute();
    await schema
      .createTable('users')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('email', 'text', (column) => column.notNull().unique())
      .addColumn('name', 'text')
      .addColumn('created_at', 'text', (column) => column.notNull())
      .execute();
    await schema
      .createTable('memberships')
      .addColumn('user_id', 'text', (column) => column.notNull().references('users.id'))
      .addColumn('organisation_id', 'text', (column) => column.notNull().references('organisations.id'))
      .addColumn('role', 'text', (column) => column.notNull())
      .addColumn('created_at', 'text', (column) => column.notNull())
      .addPrimaryKeyConstraint('memberships_primary_key', ['user_id', 'organisation_id'])
      .execute();
    await schema.createIndex('memberships_organisation').on('memberships').column('organisation_id').execute();

    // SQLite takes one added column per ALTER TABLE statement.
    await schema.alterTable('api_keys').addColumn('organisation_id', 'text', (column) => column.notNull().defaultTo(defaultOrganisationId)).execute();
    await schema.alterTable('api_keys').addColumn('project_id', 'text', (column) => column.notNull().defaultTo(defaultProjectId)).execute();
    await schema.alterTable('api_keys').addColumn('user_id', 'text').execute();
    await schema.alterTable('api_keys').addColumn('scopes', 'text').execute();
    await schema.alterTable('api_keys').addColumn('expires_at', 'text').execute();
    await schema.alterTable('api_keys').addColumn('requests_per_minute', 'integer').execute();
    await schema.alterTable('api_keys').addColumn('tokens_per_minute', 'integer').execute();
    await schema.createIndex('api_keys_organisation').on('api_keys').columns(['organisation_id', 'created_at']).execute();

    const now = new Date().toISOString();
    await sql`insert into organisations (id, name, slug, created_at) values (${defaultOrganisationId}, ${'Default organisation'}, ${'default'}, ${now})`.execute(database);
    await sql`insert into projects (id, organisation_id, name, created_at) values (${defaultProjectId}, ${defaultOrganisationId}, ${'Default project'}, ${now})`.execute(database);
    // Every existing key already sits in the default organisation and project through the column defaults.
  },
  async down(database: Kysely<unknown>): Promise<void> {
    const schema = database.schema;
    await schema.dropIndex('api_keys_organisation').execute();
    for (const column of ['tokens_per_minute', 'requests_per_minute', 'expires_at', 'scopes', 'user_id', 'project_id', 'organisation_id']) {
      await schema.alterTable('api_keys').dropColumn(column).execute();
    }
    await schema.dropTable('memberships').execute();
    await schema.dropTable('users').execute();
    await schema.dropTable('projects').execute();
    await schema.dropTable('organisations').execute();
  },
};
