// GPT knowledge: documents, chunks, search indexes and live sources.
// Full text differs by dialect: SQLite gets an FTS5 table ranked by bm25, keyed by the chunk's
// integer search key; PostgreSQL a generated tsvector column ('simple' configuration, so Chinese
// and English index alike, with CJK characters spaced into words) under a GIN index. Vector
// tables are made later, by the knowledge index, once an embeddings model fixes their dimension.
import { SqliteAdapter, sql, type Kysely, type Migration } from 'kysely';

// CJK ideographs, kana and hangul: each character becomes a word, as the SQLite side does in code.
const postgresSearchText = sql.raw(`regexp_replace(text, '([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff])', ' \\1 ', 'g')`);

export const gptKnowledgeMigration: Migration = {
  async up(database: Kysely<unknown>): Promise<void> {
    const schema = database.schema;
    const onSqlite = database.getExecutor().adapter instanceof SqliteAdapter;
    await schema
      .createTable('gpt_knowledge_sources')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('gpt_id', 'text', (column) => column.notNull())
      .addColumn('kind', 'text', (column) => column.notNull())
      .addColumn('url', 'text')
      .addColumn('title', 'text')
      .addColumn('poll_interval_seconds', 'integer')
      .addColumn('webhook_secret_hash', 'text')
      .addColumn('status', 'text', (column) => column.notNull())
      .addColumn('last_error', 'text')
      .addColumn('last_error_code', 'text')
      .addColumn('last_polled_at', 'text')
      .addColumn('next_poll_at', 'text')
      .addColumn('lease_owner', 'text')
      .addColumn('lease_expires_at', 'text')
      .addColumn('created_at', 'text', (column) => column.notNull())
      .execute();
    await schema.createIndex('gpt_knowledge_sources_gpt').on('gpt_knowledge_sources').columns(['gpt_id', 'created_at']).execute();
    await schema.createIndex('gpt_knowledge_sources_due').on('gpt_knowledge_sources').columns(['next_poll_at']).execute();

    await schema
      .createTable('gpt_knowledge_documents')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('gpt_id', 'text', (column) => column.notNull())
      .addColumn('source_id', 'text')
      .addColumn('title', 'text', (column) => column.notNull())
      .addColumn('source', 'text', (column) => column.notNull())
      .addColumn('mime_type', 'text', (column) => column.notNull())
      .addColumn('bytes', 'integer', (column) => column.notNull())
      .addColumn('content_hash', 'text', (column) => column.notNull())
      .addColumn('status', 'text', (column) => column.notNull())
      .addColumn('error', 'text')
      .addColumn('published_at', 'text')
      .addColumn('fetched_at', 'text', (column) => column.notNull())
      .addColumn('created_at', 'text', (column) => column.notNull())
      .addColumn('item_key', 'text')
      .addColumn('chunk_count', 'integer', (column) => column.notNull().defaultTo(0))
      .execute();
    await schema.createIndex('gpt_knowledge_documents_gpt').on('gpt_knowledge_documents').columns(['gpt_id', 'created_at']).execute();
    await schema.createIndex('gpt_knowledge_documents_source_item').on('gpt_knowledge_documents').columns(['source_id', 'item_key']).execute();

    await schema
      .createTable('gpt_knowledge_chunks')
      .addColumn('search_key', onSqlite ? 'integer' : 'bigserial', (column) => (onSqlite ? column.primaryKey().autoIncrement() : column.primaryKey()))
      .addColumn('id', 'text', (column) => column.notNull().unique())
      .addColumn('document_id', 'text', (column) => column.notNull())
      .addColumn('gpt_id', 'text', (column) => column.notNull())
      .addColumn('ordinal', 'integer', (column) => column.notNull())
      .addColumn('text', 'text', (column) => column.notNull())
      .addColumn('token_count', 'integer', (column) => column.notNull())
      .execute();
    await schema.createIndex('gpt_knowledge_chunks_document').on('gpt_knowledge_chunks').columns(['document_id', 'ordinal']).execute();
    await schema.createIndex('gpt_knowledge_chunks_gpt').on('gpt_knowledge_chunks').columns(['gpt_id']).execute();

    if (onSqlite) {
      await sql`create virtual table gpt_knowledge_chunk_search using fts5(text, gpt_id unindexed, tokenize = 'unicode61 remove_diacritics 2')`.execute(database);
    } else {
      await sql`alter table gpt_knowledge_chunks add column search_vector tsvector generated always as (to_tsvector('simple', ${postgresSearchText})) stored`.execute(database);
      await sql`create index gpt_knowledge_chunks_search on gpt_knowledge_chunks using gin (search_vector)`.execute(database);
    }
  },
  async down(database: Kysely<unknown>): Promise<void> {
    await sql`drop table if exists gpt_knowledge_vectors`.execute(database);
    await sql`drop table if exists gpt_knowledge_vector_values`.execute(database);
    await sql`drop table if exists gpt_knowledge_chunk_search`.execute(database);
    await database.schema.dropTable('gpt_knowledge_chunks').execute();
    await database.schema.dropTable('gpt_knowledge_documents').execute();
    await database.schema.dropTable('gpt_knowledge_sources').execute();
  },
};
