// Pages of runs and of one run's items, for the admin API and the web app. Cursors are opaque
// to callers: runs page by (created_at, id), the order the list is sorted in, so a run created
// while someone pages does not shift the pages after it; items page by their position in the run.
import { z } from 'zod';
import { invalidRequest, notFound } from '../../core/index.js';
import type { ItemRow } from './evaluation-repository.js';
import { itemRequestSchema, itemScoreSchema, runStatusSchema, type RunStatus } from './evaluation-run-schema.js';
import type { RunView } from './evaluation-run-view.js';
import type { EvaluationService } from './evaluation-service.js';

export interface Page<T> {
  readonly object: 'list';
  readonly data: readonly T[];
  readonly has_more: boolean;
  readonly next_cursor: string | null;
}

/** One item of a run as a reader checks it: what was asked, what was expected, what came back. */
export interface ItemView {
  readonly object: 'evaluation.item';
  readonly position: number;
  readonly item_id: string;
  readonly sample_index: number;
  readonly status: string;
  /** The item as sent: the last user turn (chat), or the prompt's last block (completion). */
  readonly question: string;
  /** The reference answer as the scorer compares it; null where the benchmark has none (HumanEval). */
  readonly expected: string | null;
  /** The answer the scorer extracted, else the model's text; null before it answered. */
  readonly answer: string | null;
  readonly response: string | null;
  /** null while unanswered or until scored (HumanEval is scored at the end). */
  readonly correct: boolean | null;
  readonly cached: boolean;
  readonly error: string | null;
}

const runCursorSchema = z.tuple([z.string().min(1), z.string().min(1)]);

export function encodeRunCursor(run: Pick<RunView, 'created_at' | 'id'>): string {
  return Buffer.from(JSON.stringify([run.created_at, run.id])).toString('base64url');
}

function decodeRunCursor(cursor: string): { readonly createdAt: string; readonly id: string } {
  try {
    const [createdAt, id] = runCursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return { createdAt, id };
  } catch {
    throw invalidRequest(`Invalid cursor '${cursor}': pass next_cursor from the previous page unchanged.`, 'cursor', 'invalid_cursor');
  }
}

function decodeItemCursor(cursor: string): number {
  if (!/^\d{1,9}$/.test(cursor)) throw invalidRequest(`Invalid cursor '${cursor}': pass next_cursor from the previous page unchanged.`, 'cursor', 'invalid_cursor');
  return Number(cursor);
}

export async function listRunPage(service: EvaluationService, query: { readonly model?: string; readonly status?: string; readonly limit?: number; readonly cursor?: string }): Promise<Page<RunView>> {
  let status: RunStatus | undefined;
  if (query.status !== undefined) {
    const parsed = runStatusSchema.safeParse(query.status);
    if (!parsed.success) throw invalidRequest(`Unknown status '${query.status}'; expected one of ${runStatusSchema.options.join(', ')}.`, 'status', 'invalid_status');
    status = parsed.data;
  }
  const limit = query.limit ?? 50;
  // One more than the page, to know whether another page follows without counting.
  const rows = await service.repository.listRuns({
    ...(query.model === undefined ? {} : { model: query.model }),
    ...(status === undefined ? {} : { status }),
    ...(query.cursor === undefined ? {} : { before: decodeRunCursor(query.cursor) }),
    limit: limit + 1,
  });
  const pageRows = rows.slice(0, limit);
  const data = await Promise.all(pageRows.map((row) => service.get(row.id)));
  const last = data.at(-1);
  const hasMore = rows.length > limit;
  return { object: 'list', data, has_more: hasMore, next_cursor: hasMore && last !== undefined ? encodeRunCursor(last) : null };
}

/** What a GSM8K-style reference is compared as: everything up to its last `#### ` removed. */
function comparedReference(reference: string | null): string | null {
  if (reference === null) return null;
  const marker = reference.lastIndexOf('#### ');
  return (marker === -1 ? reference : reference.slice(marker + 5)).trim();
}

function questionOf(request: z.infer<typeof itemRequestSchema>): string {
  const lastUser = request.body.messages?.filter((message) => message.role === 'user').at(-1);
  if (lastUser !== undefined) return lastUser.content;
  // A completion prompt carries its few-shot examples first, separated by blank lines.
  const prompt = request.body.prompt ?? '';
  const blocks = prompt.trimEnd().split('\n\n');
  return blocks.at(-1) ?? prompt;
}

export function presentItem(row: Pick<ItemRow, 'position' | 'item_id' | 'sample_index' | 'status' | 'request' | 'response' | 'score' | 'error' | 'cached'>): ItemView {
  const request = itemRequestSchema.parse(JSON.parse(row.request));
  const score = row.score === null ? null : itemScoreSchema.safeParse(JSON.parse(row.score));
  const scored = score?.success === true ? score.data : null;
  return {
    object: 'evaluation.item',
    position: row.position,
    item_id: row.item_id,
    sample_index: row.sample_index,
    status: row.status,
    question: questionOf(request),
    expected: comparedReference(request.reference),
    answer: scored?.answer ?? row.response,
    response: row.response,
    correct: scored?.correct ?? null,
    cached: row.cached === 1,
    error: row.error,
  };
}

export async function listItemPage(service: EvaluationService, runId: string, query: { readonly limit?: number; readonly cursor?: string }): Promise<Page<ItemView>> {
  if ((await service.repository.findRun(runId)) === undefined) throw notFound(`No evaluation run with id '${runId}'.`, 'evaluation_run_not_found', 'id');
  const limit = query.limit ?? 20;
  const rows = await service.repository.itemPage(runId, query.cursor === undefined ? -1 : decodeItemCursor(query.cursor), limit + 1);
  const data = rows.slice(0, limit).map(presentItem);
  const hasMore = rows.length > limit;
  const last = data.at(-1);
  return { object: 'list', data, has_more: hasMore, next_cursor: hasMore && last !== undefined ? String(last.position) : null };
}
