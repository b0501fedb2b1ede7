// GPT knowledge: documents, chunks, search indexes and live sources, as Kysely sees them. Timestamps are ISO-8601 UTC text.
import type { Generated } from 'kysely';
// The full-text index (an FTS5 table on SQLite, a generated tsvector column on PostgreSQL) and the
// vector index (sqlite-vec or pgvector, made once the embedding size is known) are reached with
// raw SQL in src/gpts/knowledge, so they are not declared here.

export type KnowledgeDocumentStatus = 'indexed' | 'failed';
export type KnowledgeSourceKind = 'url' | 'feed' | 'webhook';
export type KnowledgeSourceStatus = 'active' | 'failed';

/** One file, fetched page, feed item or pushed document of a GPT's knowledge. */
export interface GptKnowledgeDocumentsTable {
  id: string;
  /** The GPT it belongs to (plain text: the GPT tables belong to another group). */
  gpt_id: string;
  /** The live source that brought it; null for an uploaded file. */
  source_id: string | null;
  title: string;
  /** The file name or the URL it was fetched from. */
  source: string;
  mime_type: string;
  bytes: number;
  /** SHA-256 of the content, hex: a re-fetched page is replaced only when it changed. */
  content_hash: string;
  status: KnowledgeDocumentStatus;
  error: string | null;
  /** A feed item's own date; null for files. */
  published_at: string | null;
  fetched_at: string;
  created_at: string;
  /** Identifies a feed item within its source (guid, id or link), so it is indexed once. */
  item_key: string | null;
  chunk_count: number;
}

export interface GptKnowledgeChunksTable {
  id: string;
  document_id: string;
  gpt_id: string;
  ordinal: number;
  text: string;
  token_count: number;
  /** A dense integer key the search indexes point at (the FTS5 and vector rowid; a sequence on PostgreSQL). */
  search_key: Generated<number>;
}

export interface GptKnowledgeSourcesTable {
  id: string;
  gpt_id: string;
  kind: KnowledgeSourceKind;
  /** The page or feed; null for a webhook. */
  url: string | null;
  title: string | null;
  poll_interval_seconds: number | null;
  /** SHA-256 of a webhook's secret, hex; the secret itself is shown once and never stored. */
  webhook_secret_hash: string | null;
  status: KnowledgeSourceStatus;
  last_error: string | null;
  last_error_code: string | null;
  last_polled_at: string | null;
  next_poll_at: string | null;
  /** Which poller holds the source now, until when: two servers never poll it at once. */
  lease_owner: string | null;
  lease_expires_at: string | null;
  created_at: string;
}

export interface KnowledgeTables {
  gpt_knowledge_documents: GptKnowledgeDocumentsTable;
  gpt_knowledge_chunks: GptKnowledgeChunksTable;
  gpt_knowledge_sources: GptKnowledgeSourcesTable;
}
