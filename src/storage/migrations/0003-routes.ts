// Routes made through the admin API (those in modelmart.yaml are not stored): one row a public
// model name, its targets as JSON text.
import type { Kysely, Migration } from 'kysely';

export const routesMigration: Migration = {
  async up(database: Kysely<unknown>): Promise<void> {
    await database.schema
      .createTable('routes')
      .addColumn('model', 'text', (column) => column.primaryKey())
      .addColumn('definition', 'text', (column) => column.notNull())
      .addColumn('updated_at', 'text', (column) => column.notNull())
      .addColumn('updated_by', 'text', (column) => column.notNull())
      .execute();
  },
  async down(database: Kysely<unknown>): Promise<void> {
    await database.schema.dropTable('routes').execute();
  },
};
