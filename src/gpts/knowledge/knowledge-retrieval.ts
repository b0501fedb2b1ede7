// Hybrid retrieval over a GPT's knowledge: BM25 (full text) and, when an embeddings function is
// given and the database can search vectors, nearest neighbours by cosine; the two rankings are
// fused by reciprocal rank (k = 60), so neither score scale has to be calibrated to the other.
import type { Principal } from '../../accounts/index.js';
import type { KnowledgeRetriever, RetrievalOptions, RetrievedPassage } from '../gpt-contracts.js';
import type { Database } from '../../storage/index.js';
import type { KnowledgeIndex, RankedChunk } from './knowledge-index.js';
import { queryTerms } from './knowledge-search-text.js';

/** Whose knowledge an embeddings call serves, and who asked: a run's caller pays for its query, the GPT's organisation for indexing. */
export interface EmbeddingPayer {
  readonly gptId: string;
  readonly caller?: Principal | undefined;
}

export type EmbedTexts = (texts: readonly string[], payer: EmbeddingPayer) => Promise<number[][]>;

export type RetrievalMode = 'hybrid' | 'full_text' | 'vector';

/** The constant of reciprocal rank fusion: a passage's score is the sum of 1 / (k + rank). */
export const reciprocalRankConstant = 60;

export function fuseRankings(rankings: readonly (readonly RankedChunk[])[], limit: number): { searchKey: number; score: number }[] {
  const scores = new Map<number, number>();
  for (const ranking of rankings) {
    ranking.forEach((chunk, index) => {
      scores.set(chunk.searchKey, (scores.get(chunk.searchKey) ?? 0) + 1 / (reciprocalRankConstant + index + 1));
    });
  }
  return [...scores.entries()]
    .map(([searchKey, score]) => ({ searchKey, score }))
    .sort((left, right) => right.score - left.score || left.searchKey - right.searchKey)
    .slice(0, limit);
}

function abortIfAsked(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw signal.reason instanceof Error ? signal.reason : new Error('retrieval aborted');
}

export class KnowledgeRetrieval implements KnowledgeRetriever {
  private readonly database: Database;
  private readonly index: KnowledgeIndex;
  private readonly embed: EmbedTexts | undefined;

  constructor(options: { readonly database: Database; readonly index: KnowledgeIndex; readonly embed?: EmbedTexts | undefined }) {
    this.database = options.database;
    this.index = options.index;
    this.embed = options.embed;
  }

  async retrieve(gptId: string, query: string, options: RetrievalOptions & { readonly mode?: RetrievalMode }): Promise<readonly RetrievedPassage[]> {
    const limit = Math.max(1, Math.min(options.limit, 100));
    // Each ranking is read deeper than the answer so fusion can lift a passage both rank fairly well.
    const depth = Math.max(limit * 4, 20);
    // Nearest neighbours cost more the more are asked for (sqlite-vec keeps a sorted top k).
    const vectorDepth = Math.max(limit * 2, 10);
    const mode = options.mode ?? 'hybrid';
    abortIfAsked(options.signal);
    const rankings: RankedChunk[][] = [];
    const fullText = mode === 'vector' ? Promise.resolve([]) : this.index.fullTextSearch(gptId, queryTerms(query), depth);
    if (mode !== 'full_text' && this.embed !== undefined && query.trim() !== '' && (await this.index.vectorSupport()).extension !== null) {
      const [vector] = await this.embed([query], { gptId, caller: options.caller });
      abortIfAsked(options.signal);
      if (vector !== undefined) rankings.push(await this.index.vectorSearch(gptId, vector, vectorDepth));
    }
    rankings.unshift(await fullText);
    const fused = fuseRankings(rankings, limit);
    if (fused.length === 0) return [];
    abortIfAsked(options.signal);
    return this.passages(fused);
  }

  private async passages(fused: readonly { searchKey: number; score: number }[]): Promise<RetrievedPassage[]> {
    const rows = await this.database.kysely
      .selectFrom('gpt_knowledge_chunks as chunk')
      .innerJoin('gpt_knowledge_documents as document', 'document.id', 'chunk.document_id')
      .select(['chunk.search_key', 'chunk.id as chunk_id', 'chunk.document_id', 'chunk.text', 'document.title', 'document.source', 'document.published_at', 'document.fetched_at'])
      .where(
        'chunk.search_key',
        'in',
        fused.map((entry) => entry.searchKey),
      )
      .execute();
    const byKey = new Map(rows.map((row) => [Number(row.search_key), row]));
    const passages: RetrievedPassage[] = [];
    for (const entry of fused) {
      const row = byKey.get(entry.searchKey);
      if (row === undefined) continue;
      passages.push({
        chunkId: row.chunk_id,
        documentId: row.document_id,
        text: row.text,
        title: row.title,
        source: row.source,
        date: row.published_at ?? row.fetched_at,
        score: entry.score,
      });
    }
    return passages;
  }
}
