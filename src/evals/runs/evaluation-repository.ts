// Storage of evaluation runs, their items (the jobs workers claim) and the response cache.
// Claims: on PostgreSQL the candidate rows are locked with FOR UPDATE SKIP LOCKED in the claiming
// transaction, so concurrent workers never wait on or take the same rows; SQLite has one writer
// at a time, so a single conditional UPDATE is already exclusive there.
import { sql } from 'kysely';
import type { Database, DatabaseSchema } from '../../storage/index.js';
import type { RunItem } from './evaluation-item-builder.js';
import type { ItemStatus, RunStatus } from './evaluation-run-schema.js';

type Tables = DatabaseSchema;
export type RunRow = Tables['evaluation_runs'];
export type ItemRow = Tables['evaluation_items'];
export type CacheRow = Tables['evaluation_cache'];

export interface ItemOutcome {
  readonly response: string;
  readonly score: string | null;
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly cost: number;
  readonly cached: boolean;
}

export interface ItemCounts {
  readonly total: number;
  readonly pending: number;
  readonly claimed: number;
  readonly done: number;
  readonly failed: number;
  readonly cost: number;
}

const insertChunkSize = 400;

export class EvaluationRepository {
  constructor(private readonly database: Database) {}

  private get kysely() {
    return this.database.kysely;
  }

  async insertRun(run: RunRow, items: readonly RunItem[]): Promise<void> {
    await this.kysely.transaction().execute(async (transaction) => {
      await transaction.insertInto('evaluation_runs').values(run).execute();
      for (let start = 0; start < items.length; start += insertChunkSize) {
        const rows = items.slice(start, start + insertChunkSize).map((item, offset) => ({
          run_id: run.id,
          item_id: item.itemId,
          sample_index: item.sampleIndex,
          position: start + offset,
          status: 'pending' satisfies ItemStatus,
          attempts: 0,
          request: JSON.stringify(item.request),
          cached: 0,
        }));
        await transaction.insertInto('evaluation_items').values(rows).execute();
      }
    });
  }

  async findRun(id: string): Promise<RunRow | undefined> {
    return this.kysely.selectFrom('evaluation_runs').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Newest first; with `before`, only runs after that one in this order (the next page). */
  async listRuns(options: { readonly model?: string; readonly status?: RunStatus; readonly limit: number; readonly before?: { readonly createdAt: string; readonly id: string } }): Promise<RunRow[]> {
    let query = this.kysely.selectFrom('evaluation_runs').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(options.limit);
    if (options.model !== undefined) query = query.where('model', '=', options.model);
    if (options.status !== undefined) query = query.where('status', '=', options.status);
    const before = options.before;
    if (before !== undefined) query = query.where((where) => where.or([where('created_at', '<', before.createdAt), where.and([where('created_at', '=', before.createdAt), where('id', '<', before.id)])]));
    return query.execute();
  }

  async updateRun(id: string, changes: Partial<Omit<RunRow, 'id'>>): Promise<void> {
    await this.kysely.updateTable('evaluation_runs').set(changes).where('id', '=', id).execute();
  }

  /** Moves a run from one status to another only if it is still in the first; true when it moved. */
  async transitionRun(id: string, from: readonly RunStatus[], changes: Partial<Omit<RunRow, 'id'>>): Promise<boolean> {
    const result = await this.kysely.updateTable('evaluation_runs').set(changes).where('id', '=', id).where('status', 'in', [...from]).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Marks this worker as the one computing the run's metrics; false when another already is. */
  async claimFinalization(id: string, workerId: string): Promise<boolean> {
    const result = await this.kysely
      .updateTable('evaluation_runs')
      .set({ finalized_by: workerId })
      .where('id', '=', id)
      .where('status', '=', 'running')
      .where('finalized_by', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /**
   * Claims up to `count` items: pending ones, and claimed ones whose claim is older than the
   * lease (their worker died). Lowest positions first.
   */
  async claimItems(runId: string, workerId: string, count: number, now: string, leaseCutoff: string): Promise<ItemRow[]> {
    return this.kysely.transaction().execute(async (transaction) => {
      const candidates = transaction
        .selectFrom('evaluation_items')
        .select('position')
        .where('run_id', '=', runId)
        .where((where) => where.or([where('status', '=', 'pending'), where.and([where('status', '=', 'claimed'), where('claimed_at', '<', leaseCutoff)])]))
        .orderBy('position')
        .limit(count);
      const claim = transaction
        .updateTable('evaluation_items')
        .set({ status: 'claimed', claimed_by: workerId, claimed_at: now, attempts: sql<number>`attempts + 1` })
        .where('run_id', '=', runId);
      if (this.database.dialect === 'postgres') {
        // Locked first, then updated: inside `IN (…)` PostgreSQL may run a SKIP LOCKED subquery
        // more than once and so take more rows than the limit.
        const positions = (await candidates.forUpdate().skipLocked().execute()).map((row) => row.position);
        if (positions.length === 0) return [];
        return claim.where('position', 'in', positions).returningAll().execute();
      }
      return claim.where('position', 'in', candidates).returningAll().execute();
    });
  }

  /** Records an item's answer, only while this worker still holds the claim; true when recorded. */
  async completeItem(item: Pick<ItemRow, 'run_id' | 'position'>, workerId: string, outcome: ItemOutcome, now: string): Promise<boolean> {
    const result = await this.kysely
      .updateTable('evaluation_items')
      .set({
        status: 'done',
        response: outcome.response,
        score: outcome.score,
        prompt_tokens: outcome.promptTokens,
        completion_tokens: outcome.completionTokens,
        cost: outcome.cost,
        cached: outcome.cached ? 1 : 0,
        error: null,
        finished_at: now,
      })
      .where('run_id', '=', item.run_id)
      .where('position', '=', item.position)
      .where('status', '=', 'claimed')
      .where('claimed_by', '=', workerId)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async failItem(item: Pick<ItemRow, 'run_id' | 'position'>, workerId: string, error: string, now: string): Promise<boolean> {
    const result = await this.kysely
      .updateTable('evaluation_items')
      .set({ status: 'failed', error, finished_at: now })
      .where('run_id', '=', item.run_id)
      .where('position', '=', item.position)
      .where('status', '=', 'claimed')
      .where('claimed_by', '=', workerId)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Hands a worker's unfinished claims back (it is stopping), or those of workers known to be dead. */
  async releaseClaims(runId: string, workerIds: readonly string[]): Promise<number> {
    if (workerIds.length === 0) return 0;
    const result = await this.kysely
      .updateTable('evaluation_items')
      .set({ status: 'pending', claimed_by: null, claimed_at: null })
      .where('run_id', '=', runId)
      .where('status', '=', 'claimed')
      .where('claimed_by', 'in', [...workerIds])
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async claimHolders(runId: string): Promise<string[]> {
    const rows = await this.kysely.selectFrom('evaluation_items').select('claimed_by').distinct().where('run_id', '=', runId).where('status', '=', 'claimed').execute();
    return rows.map((row) => row.claimed_by).filter((holder): holder is string => holder !== null);
  }

  /** Failed items go back to pending, so a resumed run tries them again. */
  async requeueFailed(runId: string): Promise<number> {
    const result = await this.kysely
      .updateTable('evaluation_items')
      .set({ status: 'pending', claimed_by: null, claimed_at: null, error: null })
      .where('run_id', '=', runId)
      .where('status', '=', 'failed')
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async counts(runId: string): Promise<ItemCounts> {
    const rows = await this.kysely
      .selectFrom('evaluation_items')
      .select(['status', (expression) => expression.fn.countAll<number | string>().as('count'), (expression) => expression.fn.sum<number | string | null>('cost').as('cost')])
      .where('run_id', '=', runId)
      .groupBy('status')
      .execute();
    const byStatus = new Map(rows.map((row) => [row.status, Number(row.count)]));
    const cost = rows.reduce((sum, row) => sum + Number(row.cost ?? 0), 0);
    const pending = byStatus.get('pending') ?? 0;
    const claimed = byStatus.get('claimed') ?? 0;
    const done = byStatus.get('done') ?? 0;
    const failed = byStatus.get('failed') ?? 0;
    return { total: pending + claimed + done + failed, pending, claimed, done, failed, cost };
  }

  /** Finished items in run order, for scoring. */
  async finishedItems(runId: string): Promise<Pick<ItemRow, 'item_id' | 'sample_index' | 'status' | 'response' | 'request' | 'score'>[]> {
    return this.kysely
      .selectFrom('evaluation_items')
      .select(['item_id', 'sample_index', 'status', 'response', 'request', 'score'])
      .where('run_id', '=', runId)
      .where('status', 'in', ['done', 'failed'])
      .orderBy('position')
      .execute();
  }

  /** A page of a run's items in run order, those after `afterPosition`, for showing them. */
  async itemPage(runId: string, afterPosition: number, limit: number): Promise<Pick<ItemRow, 'position' | 'item_id' | 'sample_index' | 'status' | 'request' | 'response' | 'score' | 'error' | 'cached'>[]> {
    return this.kysely
      .selectFrom('evaluation_items')
      .select(['position', 'item_id', 'sample_index', 'status', 'request', 'response', 'score', 'error', 'cached'])
      .where('run_id', '=', runId)
      .where('position', '>', afterPosition)
      .orderBy('position')
      .limit(limit)
      .execute();
  }

  async scoredItems(runId: string): Promise<string[]> {
    const rows = await this.kysely.selectFrom('evaluation_items').select('score').where('run_id', '=', runId).where('status', '=', 'done').execute();
    return rows.map((row) => row.score).filter((score): score is string => score !== null);
  }

  async cachedResponse(key: string): Promise<CacheRow | undefined> {
    return this.kysely.selectFrom('evaluation_cache').selectAll().where('key', '=', key).executeTakeFirst();
  }

  async storeCachedResponse(row: CacheRow): Promise<void> {
    await this.kysely.insertInto('evaluation_cache').values(row).onConflict((conflict) => conflict.column('key').doNothing()).execute();
  }
}
