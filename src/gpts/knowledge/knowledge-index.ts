// The search indexes of GPT knowledge and the one transaction that stores a document with them.
// Full text: an FTS5 table ranked by bm25 on SQLite, a generated tsvector column on PostgreSQL
// (both made by the migration). Vectors: on SQLite a sqlite-vec vec0 table of binary-quantised
// vectors (one bit a dimension: a scan of 100,000 is a few megabytes) whose nearest candidates
// are re-ranked by cosine against the full vectors kept beside it; on PostgreSQL a pgvector
// table. Both are made when the first embeddings arrive (their length fixes the dimension).
// Where neither extension is there, vector search is off and `vectorSearchStatus` says why.
import { sql, type Kysely, type Transaction } from 'kysely';
import { ModelmartError, newSequentialId, type Logger } from '../../core/index.js';
import type { Database, DatabaseSchema } from '../../storage/index.js';
import { planFullTextQuery } from './knowledge-full-text-plan.js';
import { postgresQueryExpression, searchableText } from './knowledge-search-text.js';
import type { TextChunk } from './knowledge-chunking.js';

type DocumentRow = DatabaseSchema['gpt_knowledge_documents'];

export interface VectorSearchStatus {
  readonly available: boolean;
  /** Why vector search is off (no embeddings model, no extension), or null when it is on. */
  readonly reason: string | null;
}

export interface RankedChunk {
  readonly searchKey: number;
}

interface VectorSupport {
  readonly extension: 'sqlite-vec' | 'pgvector' | null;
  readonly reason: string | null;
}

/**
 * Binary candidates fetched per passage wanted, before re-ranking by cosine. sqlite-vec's cost
 * grows with k (at 100,000 vectors k = 160 takes about six times as long as k = 20), so the
 * oversampling is modest, with a floor for small requests.
 */
const candidateOversampling = 2;
const minimumCandidates = 20;
/** sqlite-vec answers at most this many neighbours. */
const maximumNearestNeighbours = 4_096;

function float32Blob(vector: readonly number[]): Buffer {
  return Buffer.from(new Float32Array(vector).buffer);
}

/** Bits come in bytes: a dimension that is not a multiple of 8 is padded with zeros (bits that never differ). */
function paddedDimension(dimension: number): number {
  return Math.ceil(dimension / 8) * 8;
}

function paddedVector(vector: readonly number[]): Buffer {
  const padded = new Float32Array(paddedDimension(vector.length));
  padded.set(vector);
  return Buffer.from(padded.buffer);
}

export class KnowledgeIndex {
  private readonly database: Database;
  private readonly logger: Logger | undefined;
  private support: Promise<VectorSupport> | undefined;
  private vectorDimension: number | null | undefined;
  private warned = false;

  constructor(database: Database, logger?: Logger) {
    this.database = database;
    this.logger = logger;
  }

  private get kysely(): Kysely<DatabaseSchema> {
    return this.database.kysely;
  }

  /** Whether the database can search vectors at all (the extension is there), asked once. */
  vectorSupport(): Promise<VectorSupport> {
    this.support ??= this.detectVectorSupport();
    return this.support;
  }

  private async detectVectorSupport(): Promise<VectorSupport> {
    let support: VectorSupport;
    if (this.database.dialect === 'sqlite') {
      try {
        await sql`select vec_version()`.execute(this.kysely);
        support = { extension: 'sqlite-vec', reason: null };
      } catch {
        support = { extension: null, reason: 'the sqlite-vec extension could not be loaded into SQLite; retrieval is full-text (BM25) only' };
      }
    } else {
      const installed = await sql<{ name: string }>`select extname as name from pg_extension where extname = 'vector'`.execute(this.kysely);
      if (installed.rows.length > 0) support = { extension: 'pgvector', reason: null };
      else {
        try {
          await sql`create extension if not exists vector`.execute(this.kysely);
          support = { extension: 'pgvector', reason: null };
        } catch {
          support = { extension: null, reason: 'the pgvector extension is not installed in this PostgreSQL; retrieval is full-text only' };
        }
      }
    }
    if (support.reason !== null && !this.warned) {
      this.warned = true;
      this.logger?.warn({ reason: support.reason }, 'GPT knowledge: vector search is off');
    }
    return support;
  }

  async vectorSearchStatus(embeddingsConfigured: boolean): Promise<VectorSearchStatus> {
    if (!embeddingsConfigured) return { available: false, reason: 'no embeddings model is configured (gpts.knowledge.embeddingsModel); retrieval is full-text (BM25) only' };
    const support = await this.vectorSupport();
    return { available: support.extension !== null, reason: support.reason };
  }

  /** The dimension of the vector table, or null while it does not exist. */
  private async storedDimension(): Promise<number | null> {
    if (this.vectorDimension !== undefined) return this.vectorDimension;
    let dimension: number | null = null;
    if (this.database.dialect === 'sqlite') {
      // The full vectors' table states their size in its check constraint: 4 bytes a dimension.
      const table = await sql<{ sql: string }>`select sql from sqlite_master where name = 'gpt_knowledge_vector_values'`.execute(this.kysely);
      const match = /length\(embedding\) = 4 \* (\d+)/u.exec(table.rows[0]?.sql ?? '');
      dimension = match?.[1] === undefined ? null : Number(match[1]);
    } else {
      const column = await sql<{ dimension: number }>`
        select atttypmod as dimension from pg_attribute
        where attrelid = to_regclass('gpt_knowledge_vectors') and attname = 'embedding'`.execute(this.kysely);
      dimension = column.rows[0]?.dimension ?? null;
    }
    if (dimension !== null) this.vectorDimension = dimension;
    return dimension;
  }

  private async ensureVectorTable(dimension: number): Promise<void> {
    const stored = await this.storedDimension();
    if (stored === dimension) return;
    if (stored !== null) {
      throw new ModelmartError(409, `The embeddings model returned vectors of ${dimension} numbers, but this knowledge index holds vectors of ${stored}; changing the embeddings model needs a re-index.`, {
        code: 'embedding_dimension_mismatch',
      });
    }
    if (this.database.dialect === 'sqlite') {
      await sql`create virtual table if not exists gpt_knowledge_vectors using vec0(embedding bit[${sql.raw(String(paddedDimension(dimension)))}], gpt_id text partition key)`.execute(this.kysely);
      await sql`create table if not exists gpt_knowledge_vector_values (search_key integer primary key, embedding blob not null check (length(embedding) = 4 * ${sql.raw(String(dimension))}))`.execute(this.kysely);
    } else {
      await sql`create table if not exists gpt_knowledge_vectors (search_key bigint primary key, gpt_id text not null, embedding vector(${sql.raw(String(dimension))}) not null)`.execute(this.kysely);
      await sql`create index if not exists gpt_knowledge_vectors_embedding on gpt_knowledge_vectors using hnsw (embedding vector_cosine_ops)`.execute(this.kysely);
    }
    this.vectorDimension = dimension;
  }

  /**
   * Stores a document and all its chunks (with their full-text and vector entries) in one
   * transaction, and removes the documents it replaces in the same one: all or nothing.
   */
  async storeDocument(
    document: Omit<DocumentRow, 'chunk_count'>,
    chunks: readonly TextChunk[],
    vectors: readonly (readonly number[])[] | undefined,
    replacing: readonly string[] = [],
    /** Runs first inside the transaction (limit checks); on PostgreSQL it holds the GPT's lock, so two uploads cannot both pass a limit. */
    beforeInsert?: (transaction: Transaction<DatabaseSchema>) => Promise<void>,
  ): Promise<number> {
    const useVectors = vectors !== undefined && vectors.length > 0 && (await this.vectorSupport()).extension !== null;
    if (useVectors) await this.ensureVectorTable(vectors[0]?.length ?? 0);
    // Asked before the transaction: on SQLite a query outside it would wait for it to end.
    const hasVectorTable = (await this.storedDimension()) !== null;
    await this.kysely.transaction().execute(async (transaction) => {
      // SQLite runs one transaction at a time; PostgreSQL needs a lock per GPT for the checks to hold.
      if (this.database.dialect === 'postgres') await sql`select pg_advisory_xact_lock(hashtext(${`gpt-knowledge:${document.gpt_id}`}))`.execute(transaction);
      if (beforeInsert !== undefined) await beforeInsert(transaction);
      for (const documentId of replacing) await this.deleteWithin(transaction, documentId, hasVectorTable);
      await transaction.insertInto('gpt_knowledge_documents').values({ ...document, chunk_count: chunks.length }).execute();
      const batchSize = 200;
      for (let start = 0; start < chunks.length; start += batchSize) {
        const batch = chunks.slice(start, start + batchSize);
        const inserted = await transaction
          .insertInto('gpt_knowledge_chunks')
          .values(batch.map((chunk, offset) => ({ id: newSequentialId('chunk'), document_id: document.id, gpt_id: document.gpt_id, ordinal: start + offset, text: chunk.text, token_count: chunk.tokenCount })))
          .returning(['search_key', 'ordinal'])
          .execute();
        for (const row of inserted) {
          const chunk = chunks[row.ordinal];
          if (chunk === undefined) continue;
          const searchKey = Number(row.search_key);
          if (this.database.dialect === 'sqlite') {
            await sql`insert into gpt_knowledge_chunk_search (rowid, text, gpt_id) values (${searchKey}, ${searchableText(chunk.text)}, ${document.gpt_id})`.execute(transaction);
          }
          const vector = useVectors ? vectors[row.ordinal] : undefined;
          if (vector !== undefined) await this.insertVector(transaction, searchKey, document.gpt_id, vector);
        }
      }
    });
    return chunks.length;
  }

  private async insertVector(transaction: Transaction<DatabaseSchema>, searchKey: number, gptId: string, vector: readonly number[]): Promise<void> {
    if (this.database.dialect === 'sqlite') {
      await sql`insert into gpt_knowledge_vectors (rowid, embedding, gpt_id) values (${BigInt(searchKey)}, vec_quantize_binary(${paddedVector(vector)}), ${gptId})`.execute(transaction);
      await sql`insert into gpt_knowledge_vector_values (search_key, embedding) values (${searchKey}, ${float32Blob(vector)})`.execute(transaction);
    } else {
      await sql`insert into gpt_knowledge_vectors (search_key, gpt_id, embedding) values (${searchKey}, ${gptId}, ${`[${vector.join(',')}]`}::vector)`.execute(transaction);
    }
  }

  private async deleteWithin(transaction: Transaction<DatabaseSchema>, documentId: string, hasVectorTable: boolean): Promise<void> {
    const keys = (await transaction.selectFrom('gpt_knowledge_chunks').select('search_key').where('document_id', '=', documentId).execute()).map((row) => Number(row.search_key));
    if (keys.length > 0) {
      if (this.database.dialect === 'sqlite') {
        for (let start = 0; start < keys.length; start += 500) {
          const batch = keys.slice(start, start + 500);
          await sql`delete from gpt_knowledge_chunk_search where rowid in (${sql.join(batch)})`.execute(transaction);
        }
      }
      if (hasVectorTable) {
        const keyColumn = this.database.dialect === 'sqlite' ? sql.raw('rowid') : sql.raw('search_key');
        for (let start = 0; start < keys.length; start += 500) {
          const batch = keys.slice(start, start + 500);
          await sql`delete from gpt_knowledge_vectors where ${keyColumn} in (${sql.join(batch)})`.execute(transaction);
          if (this.database.dialect === 'sqlite') await sql`delete from gpt_knowledge_vector_values where search_key in (${sql.join(batch)})`.execute(transaction);
        }
      }
    }
    await transaction.deleteFrom('gpt_knowledge_chunks').where('document_id', '=', documentId).execute();
    await transaction.deleteFrom('gpt_knowledge_documents').where('id', '=', documentId).execute();
  }

  async deleteDocument(documentId: string): Promise<void> {
    const hasVectorTable = (await this.storedDimension()) !== null;
    await this.kysely.transaction().execute((transaction) => this.deleteWithin(transaction, documentId, hasVectorTable));
  }

  /** The best chunks of a GPT for the terms by BM25 (PostgreSQL: ts_rank_cd), best first. */
  async fullTextSearch(gptId: string, terms: readonly string[], limit: number): Promise<RankedChunk[]> {
    if (terms.length === 0) return [];
    if (this.database.dialect === 'sqlite') {
      const plan = await planFullTextQuery(this.kysely, terms);
      if (plan === null) return [];
      const order = plan.order === 'rank' ? sql`rank` : sql`rowid desc`;
      const result = await sql<{ search_key: number }>`
        select rowid as search_key from gpt_knowledge_chunk_search
        where gpt_knowledge_chunk_search match ${plan.expression} and gpt_id = ${gptId}
        order by ${order} limit ${limit}`.execute(this.kysely);
      return result.rows.map((row) => ({ searchKey: Number(row.search_key) }));
    }
    const result = await sql<{ search_key: number }>`
      select search_key from gpt_knowledge_chunks, to_tsquery('simple', ${postgresQueryExpression(terms)}) as query
      where gpt_id = ${gptId} and search_vector @@ query
      order by ts_rank_cd(search_vector, query) desc, search_key limit ${limit}`.execute(this.kysely);
    return result.rows.map((row) => ({ searchKey: Number(row.search_key) }));
  }

  /** The nearest chunks of a GPT to the vector by cosine distance, nearest first; empty without vectors. */
  async vectorSearch(gptId: string, vector: readonly number[], limit: number): Promise<RankedChunk[]> {
    if ((await this.vectorSupport()).extension === null) return [];
    const dimension = await this.storedDimension();
    if (dimension === null) return [];
    if (dimension !== vector.length) {
      throw new ModelmartError(409, `The query's embedding has ${vector.length} numbers, but this knowledge index holds vectors of ${dimension}.`, { code: 'embedding_dimension_mismatch' });
    }
    if (this.database.dialect === 'sqlite') {
      // Hamming distance over the bits finds candidates; cosine over the full vectors orders them.
      const candidates = Math.min(maximumNearestNeighbours, Math.max(minimumCandidates, limit * candidateOversampling));
      const result = await sql<{ search_key: number }>`
        select candidate.rowid as search_key
        from (select rowid from gpt_knowledge_vectors where embedding match vec_quantize_binary(${paddedVector(vector)}) and k = ${candidates} and gpt_id = ${gptId}) as candidate
        join gpt_knowledge_vector_values as value on value.search_key = candidate.rowid
        order by vec_distance_cosine(value.embedding, ${float32Blob(vector)}), candidate.rowid
        limit ${limit}`.execute(this.kysely);
      return result.rows.map((row) => ({ searchKey: Number(row.search_key) }));
    }
    const result = await sql<{ search_key: number }>`
      select search_key from gpt_knowledge_vectors where gpt_id = ${gptId}
      order by embedding <=> ${`[${vector.join(',')}]`}::vector limit ${limit}`.execute(this.kysely);
    return result.rows.map((row) => ({ searchKey: Number(row.search_key) }));
  }
}
