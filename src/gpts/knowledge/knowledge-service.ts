// A GPT's knowledge: files added, listed and deleted within the configured limits, documents
// from live sources stored the same way, the knowledge status, and retrieval. One document is
// extracted, chunked and embedded first, then stored with all its chunks in one transaction.
import { createHash } from 'node:crypto';
import type { Config } from '../../config/index.js';
import { ModelmartError, newId, notFound, systemClock, type Clock, type Logger } from '../../core/index.js';
import type { Kysely } from 'kysely';
import type { Database, DatabaseSchema } from '../../storage/index.js';
import type { KnowledgeRetriever, RetrievalOptions, RetrievedPassage } from '../gpt-contracts.js';
import { chunkText, type TextChunk } from './knowledge-chunking.js';
import { extractDocumentText } from './knowledge-extraction.js';
import { KnowledgeIndex, type VectorSearchStatus } from './knowledge-index.js';
import { KnowledgeRetrieval, type EmbedTexts, type RetrievalMode } from './knowledge-retrieval.js';

export type KnowledgeConfig = Config['gpts']['knowledge'];
export type KnowledgeDocumentRow = DatabaseSchema['gpt_knowledge_documents'];

export interface KnowledgeServiceOptions {
  readonly database: Database;
  readonly config: KnowledgeConfig;
  /** Embeds texts with the configured embeddings model; without it retrieval is BM25 only. */
  readonly embed?: EmbedTexts | undefined;
  readonly logger?: Logger | undefined;
  readonly clock?: Clock | undefined;
}

/** A document as the API shows it. */
export interface KnowledgeDocumentView {
  readonly object: 'gpt.knowledge.document';
  readonly id: string;
  readonly gpt_id: string;
  readonly source_id: string | null;
  readonly title: string;
  readonly source: string;
  readonly mime_type: string;
  readonly bytes: number;
  readonly content_hash: string;
  readonly status: string;
  readonly error: string | null;
  readonly chunk_count: number;
  readonly published_at: string | null;
  readonly fetched_at: string;
  readonly created_at: string;
}

export interface KnowledgeStatus {
  readonly object: 'gpt.knowledge';
  readonly gpt_id: string;
  readonly files: number;
  readonly documents: number;
  readonly chunks: number;
  readonly bytes: number;
  readonly sources: number;
  readonly limits: { readonly max_files: number; readonly max_file_bytes: number; readonly max_total_bytes: number };
  readonly retrieval: 'hybrid' | 'full_text';
  readonly vector_search: VectorSearchStatus;
}

/** What a live source or the webhook hands in: text already, or bytes of a known type. */
export interface IncomingDocument {
  readonly title: string;
  readonly source: string;
  readonly mimeType: string;
  readonly text: string;
  readonly bytes: number;
  readonly publishedAt: string | null;
  readonly sourceId: string | null;
  readonly itemKey: string | null;
}

const embeddingBatchSize = 64;

export function contentHash(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

export function documentView(row: KnowledgeDocumentRow): KnowledgeDocumentView {
  return {
    object: 'gpt.knowledge.document',
    id: row.id,
    gpt_id: row.gpt_id,
    source_id: row.source_id,
    title: row.title,
    source: row.source,
    mime_type: row.mime_type,
    bytes: Number(row.bytes),
    content_hash: row.content_hash,
    status: row.status,
    error: row.error,
    chunk_count: Number(row.chunk_count),
    published_at: row.published_at,
    fetched_at: row.fetched_at,
    created_at: row.created_at,
  };
}

function limitExceeded(message: string, param: string): ModelmartError {
  return new ModelmartError(413, message, { code: 'knowledge_limit_exceeded', param });
}

export class KnowledgeService implements KnowledgeRetriever {
  readonly index: KnowledgeIndex;
  private readonly database: Database;
  private readonly config: KnowledgeConfig;
  private readonly embed: EmbedTexts | undefined;
  private readonly clock: Clock;
  private readonly retrieval: KnowledgeRetrieval;

  constructor(options: KnowledgeServiceOptions) {
    this.database = options.database;
    this.config = options.config;
    this.embed = options.embed;
    this.clock = options.clock ?? systemClock;
    this.index = new KnowledgeIndex(options.database, options.logger);
    this.retrieval = new KnowledgeRetrieval({ database: options.database, index: this.index, embed: options.embed });
  }

  /** Adds one uploaded file: 415 for an unknown type, 422 for an unreadable file, 413 over a limit; nothing stored on failure. */
  async addFile(gptId: string, fileName: string, bytes: Uint8Array, contentType?: string): Promise<KnowledgeDocumentView> {
    const name = fileName.trim();
    if (bytes.length > this.config.maxFileBytes) {
      throw limitExceeded(`The file ${JSON.stringify(name)} is ${bytes.length} bytes; a knowledge file may be at most ${this.config.maxFileBytes} bytes (gpts.knowledge.maxFileBytes).`, 'file');
    }
    // Checked before the work of extracting, and again in the storing transaction.
    await this.checkFileLimits(this.database.kysely, gptId, bytes.length, true);
    const extracted = await extractDocumentText(name, bytes, contentType);
    const document = await this.ingest(gptId, {
      title: extracted.title ?? name,
      source: name,
      mimeType: extracted.mimeType,
      text: extracted.text,
      bytes: bytes.length,
      publishedAt: null,
      sourceId: null,
      itemKey: null,
    }, contentHash(bytes));
    return document;
  }

  /** Throws 413 when one more document of `incomingBytes` would pass a limit; documents being replaced do not count. */
  private async checkFileLimits(executor: Kysely<DatabaseSchema>, gptId: string, incomingBytes: number, countsAsFile: boolean, replacing: readonly string[] = []): Promise<void> {
    let query = executor
      .selectFrom('gpt_knowledge_documents')
      .select((expression) => [
        expression.fn.countAll<number>().as('documents'),
        expression.fn.coalesce(expression.fn.sum<number>('bytes'), expression.lit(0)).as('bytes'),
        expression.fn.count<number>('id').filterWhere('source_id', 'is', null).as('files'),
      ])
      .where('gpt_id', '=', gptId);
    if (replacing.length > 0) query = query.where('id', 'not in', replacing);
    const totals = await query.executeTakeFirstOrThrow();
    const files = Number(totals.files);
    const totalBytes = Number(totals.bytes);
    if (countsAsFile && files + 1 > this.config.maxFilesPerGpt) {
      throw limitExceeded(`This GPT already has ${files} knowledge files; the limit is ${this.config.maxFilesPerGpt} (gpts.knowledge.maxFilesPerGpt). Delete one first.`, 'file');
    }
    if (totalBytes + incomingBytes > this.config.maxTotalBytesPerGpt) {
      throw limitExceeded(
        `This GPT's knowledge holds ${totalBytes} bytes; adding ${incomingBytes} more would pass the limit of ${this.config.maxTotalBytesPerGpt} bytes (gpts.knowledge.maxTotalBytesPerGpt).`,
        'file',
      );
    }
  }

  /**
   * Chunks, embeds and stores a document (from a file or a live source), replacing the
   * documents named in `replacing` in the same transaction.
   */
  async ingest(gptId: string, incoming: IncomingDocument, hash: string, replacing: readonly string[] = []): Promise<KnowledgeDocumentView> {
    const countsAsFile = incoming.sourceId === null;
    await this.checkFileLimits(this.database.kysely, gptId, incoming.bytes, countsAsFile, replacing);
    const chunks = chunkText(incoming.text, { chunkTokens: this.config.chunkTokens, overlapTokens: this.config.chunkOverlapTokens });
    const vectors = await this.embedChunks(gptId, chunks);
    const now = this.clock.now().toISOString();
    const row: KnowledgeDocumentRow = {
      id: newId('kdoc'),
      gpt_id: gptId,
      source_id: incoming.sourceId,
      title: incoming.title,
      source: incoming.source,
      mime_type: incoming.mimeType,
      bytes: incoming.bytes,
      content_hash: hash,
      status: 'indexed',
      error: null,
      published_at: incoming.publishedAt,
      fetched_at: now,
      created_at: now,
      item_key: incoming.itemKey,
      chunk_count: chunks.length,
    };
    const { chunk_count: _chunkCount, ...document } = row;
    await this.index.storeDocument(document, chunks, vectors, replacing, (transaction) => this.checkFileLimits(transaction, gptId, incoming.bytes, countsAsFile, replacing));
    return documentView(row);
  }

  private async embedChunks(gptId: string, chunks: readonly TextChunk[]): Promise<number[][] | undefined> {
    if (this.embed === undefined || chunks.length === 0 || (await this.index.vectorSupport()).extension === null) return undefined;
    const vectors: number[][] = [];
    for (let start = 0; start < chunks.length; start += embeddingBatchSize) {
      const batch = chunks.slice(start, start + embeddingBatchSize).map((chunk) => chunk.text);
      const embedded = await this.embed(batch, { gptId });
      if (embedded.length !== batch.length) {
        throw new ModelmartError(502, `The embeddings model returned ${embedded.length} vectors for ${batch.length} texts.`, { code: 'embeddings_failed' });
      }
      vectors.push(...embedded);
    }
    return vectors;
  }

  async listDocuments(gptId: string, filter: { readonly filesOnly?: boolean; readonly sourceId?: string } = {}): Promise<KnowledgeDocumentView[]> {
    let query = this.database.kysely.selectFrom('gpt_knowledge_documents').selectAll().where('gpt_id', '=', gptId);
    if (filter.filesOnly === true) query = query.where('source_id', 'is', null);
    if (filter.sourceId !== undefined) query = query.where('source_id', '=', filter.sourceId);
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
    return rows.map(documentView);
  }

  async deleteDocument(gptId: string, documentId: string): Promise<KnowledgeDocumentView> {
    const row = await this.database.kysely.selectFrom('gpt_knowledge_documents').selectAll().where('id', '=', documentId).where('gpt_id', '=', gptId).executeTakeFirst();
    if (row === undefined) throw notFound(`No knowledge document ${JSON.stringify(documentId)} in this GPT.`, 'knowledge_document_not_found', 'id');
    await this.index.deleteDocument(documentId);
    return documentView(row);
  }

  /** Removes all of a GPT's knowledge (documents, their index entries, live sources): for a GPT being deleted. */
  async deleteAllOf(gptId: string): Promise<number> {
    const documents = await this.database.kysely.selectFrom('gpt_knowledge_documents').select('id').where('gpt_id', '=', gptId).execute();
    for (const document of documents) await this.index.deleteDocument(document.id);
    await this.database.kysely.deleteFrom('gpt_knowledge_sources').where('gpt_id', '=', gptId).execute();
    return documents.length;
  }

  async status(gptId: string): Promise<KnowledgeStatus> {
    const kysely = this.database.kysely;
    const documents = await kysely
      .selectFrom('gpt_knowledge_documents')
      .select((expression) => [
        expression.fn.countAll<number>().as('documents'),
        expression.fn.count<number>('id').filterWhere('source_id', 'is', null).as('files'),
        expression.fn.coalesce(expression.fn.sum<number>('bytes'), expression.lit(0)).as('bytes'),
        expression.fn.coalesce(expression.fn.sum<number>('chunk_count'), expression.lit(0)).as('chunks'),
      ])
      .where('gpt_id', '=', gptId)
      .executeTakeFirstOrThrow();
    const sources = await kysely.selectFrom('gpt_knowledge_sources').select((expression) => expression.fn.countAll<number>().as('count')).where('gpt_id', '=', gptId).executeTakeFirstOrThrow();
    const vectorSearch = await this.index.vectorSearchStatus(this.embed !== undefined);
    return {
      object: 'gpt.knowledge',
      gpt_id: gptId,
      files: Number(documents.files),
      documents: Number(documents.documents),
      chunks: Number(documents.chunks),
      bytes: Number(documents.bytes),
      sources: Number(sources.count),
      limits: { max_files: this.config.maxFilesPerGpt, max_file_bytes: this.config.maxFileBytes, max_total_bytes: this.config.maxTotalBytesPerGpt },
      retrieval: vectorSearch.available ? 'hybrid' : 'full_text',
      vector_search: vectorSearch,
    };
  }

  retrieve(gptId: string, query: string, options: RetrievalOptions & { readonly mode?: RetrievalMode }): Promise<readonly RetrievedPassage[]> {
    return this.retrieval.retrieve(gptId, query, options);
  }
}
