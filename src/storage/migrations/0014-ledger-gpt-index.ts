// The ledger's GPT index covers only the rows of GPT calls. Every query through it names a GPT
// (or asks for rows that have one), while most rows are plain model calls: indexing their null
// gpt_id cost every ledger insert an index entry no query reads (about 1 µs a row on SQLite).
import { sql, type Kysely, type Migration } from 'kysely';

export const ledgerGptIndexMigration: Migration = {
  async up(database: Kysely<unknown>): Promise<void> {
    await database.schema.dropIndex('usage_ledger_gpt_created').execute();
    await database.schema.createIndex('usage_ledger_gpt_created').on('usage_ledger').columns(['gpt_id', 'created_at']).where(sql.ref('gpt_id'), 'is not', null).execute();
  },
  async down(database: Kysely<unknown>): Promise<void> {
    await database.schema.dropIndex('usage_ledger_gpt_created').execute();
    await database.schema.createIndex('usage_ledger_gpt_created').on('usage_ledger').columns(['gpt_id', 'created_at']).execute();
  },
};
