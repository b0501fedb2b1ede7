// Which BM25 query to run on SQLite so that its cost stays bounded on a large index. FTS5 scores
// every chunk a query matches before it sorts them, so a term found in much of the index makes a
// question slow while adding little to the ranking. Terms are probed for how many chunks hold
// them (counting stops at the threshold, so the probe is cheap too); the rare ones are searched,
// rarest first while the chunks to score stay within a budget. When every term is common, BM25
// has nothing to tell the chunks apart by: the newest chunks holding all of them are taken, in
// order, without scoring.
import { sql, type Kysely } from 'kysely';
import type { DatabaseSchema } from '../../storage/index.js';
import { fullTextMatchExpression } from './knowledge-search-text.js';

/** A term in more chunks than this share of the index (and than the floor) is common. */
const commonTermShare = 0.02;
const commonTermFloor = 2_000;
/** The chunks one query may score, in multiples of the common-term threshold. */
const scoredRowsBudget = 2;

export interface FullTextPlan {
  /** The FTS5 MATCH expression. */
  readonly expression: string;
  /** By BM25, or newest first (every term common). */
  readonly order: 'rank' | 'newest';
}

async function chunksHolding(kysely: Kysely<DatabaseSchema>, expression: string, atMost: number): Promise<number> {
  const result = await sql<{ chunks: number }>`
    select count(*) as chunks from (select rowid from gpt_knowledge_chunk_search where gpt_knowledge_chunk_search match ${expression} limit ${atMost})`.execute(kysely);
  return Number(result.rows[0]?.chunks ?? 0);
}

export async function planFullTextQuery(kysely: Kysely<DatabaseSchema>, terms: readonly string[]): Promise<FullTextPlan | null> {
  const newest = await sql<{ key: number | null }>`select max(search_key) as key from gpt_knowledge_chunks`.execute(kysely);
  const common = Math.ceil(Math.max(commonTermFloor, commonTermShare * Number(newest.rows[0]?.key ?? 0)));
  const budget = common * scoredRowsBudget;
  const rare: { term: string; chunks: number }[] = [];
  const frequent: string[] = [];
  for (const term of terms) {
    const chunks = await chunksHolding(kysely, fullTextMatchExpression([term]), common + 1);
    if (chunks === 0) continue;
    if (chunks > common) frequent.push(term);
    else rare.push({ term, chunks });
  }
  if (rare.length > 0) {
    rare.sort((left, right) => left.chunks - right.chunks);
    const kept: string[] = [];
    let rows = 0;
    for (const entry of rare) {
      if (kept.length > 0 && rows + entry.chunks > budget) break;
      kept.push(entry.term);
      rows += entry.chunks;
    }
    return { expression: fullTextMatchExpression(kept), order: 'rank' };
  }
  if (frequent.length === 0) return null;
  return { expression: frequent.map((term) => `"${term}"`).join(' AND '), order: 'newest' };
}
