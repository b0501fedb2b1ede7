// How a run's progress is shown: the share of items finished, time spent and time left, the
// status in words and a symbol, and how often to ask again when no event stream is available.
import type { EvaluationRun, RunProgress, RunStatus } from '../api/evaluation-types';

const finishedStatuses: ReadonlySet<string> = new Set(['completed', 'failed', 'cancelled']);
const runStatuses: readonly RunStatus[] = ['queued', 'running', 'completed', 'failed', 'cancelled'];

export function isRunStatus(value: string): value is RunStatus {
  return (runStatuses as readonly string[]).includes(value);
}

export function isFinishedStatus(status: string): boolean {
  return finishedStatuses.has(status);
}

/** Items answered, failed ones included: both are finished work the run will not redo by itself. */
export function finishedItems(progress: RunProgress): number {
  return progress.done + progress.failed;
}

/** Whole percent of items finished, rounded down so 100 means every item; 0 for an empty run. */
export function progressPercent(progress: RunProgress): number {
  if (progress.total <= 0) return 0;
  return Math.min(100, Math.floor((finishedItems(progress) * 100) / progress.total));
}

function parseTime(isoText: string | null): number | null {
  if (isoText === null) return null;
  const time = Date.parse(isoText);
  return Number.isNaN(time) ? null : time;
}

/** From the start of work (or creation, while queued) to the end, or to `now` while it runs. */
export function elapsedMilliseconds(run: Pick<EvaluationRun, 'created_at' | 'started_at' | 'finished_at'>, now: number): number {
  const start = parseTime(run.started_at) ?? parseTime(run.created_at) ?? now;
  const end = parseTime(run.finished_at) ?? now;
  return Math.max(0, end - start);
}

/**
 * Time left at the rate so far (items finished per millisecond since work began); null while
 * nothing has finished or the run has not started, 0 once it is finished.
 */
export function estimatedRemainingMilliseconds(run: Pick<EvaluationRun, 'status' | 'progress' | 'created_at' | 'started_at' | 'finished_at'>, now: number): number | null {
  if (isFinishedStatus(run.status)) return 0;
  const finished = finishedItems(run.progress);
  if (run.started_at === null || finished === 0) return null;
  const elapsed = elapsedMilliseconds(run, now);
  if (elapsed <= 0) return null;
  const remainingItems = Math.max(0, run.progress.total - finished);
  return Math.round((remainingItems * elapsed) / finished);
}

export interface DurationParts {
  readonly hours: number;
  readonly minutes: number;
  readonly seconds: number;
}

/** Whole hours, minutes and seconds (seconds rounded up, so "0 s" is only for nothing left). */
export function durationParts(milliseconds: number): DurationParts {
  const totalSeconds = Math.max(0, Math.ceil(milliseconds / 1000));
  return { hours: Math.floor(totalSeconds / 3600), minutes: Math.floor((totalSeconds % 3600) / 60), seconds: totalSeconds % 60 };
}

export type StatusTone = 'badge-good' | 'badge-warn' | 'badge-bad' | 'badge-neutral';

/** Each status with a symbol and a tone, so it never rests on colour alone. */
export function statusPresentation(status: string): { readonly symbol: string; readonly tone: StatusTone; readonly known: boolean } {
  switch (status) {
    case 'queued':
      return { symbol: '◷', tone: 'badge-neutral', known: true };
    case 'running':
      return { symbol: '▶', tone: 'badge-warn', known: true };
    case 'completed':
      return { symbol: '✓', tone: 'badge-good', known: true };
    case 'failed':
      return { symbol: '✗', tone: 'badge-bad', known: true };
    case 'cancelled':
      return { symbol: '⊘', tone: 'badge-neutral', known: true };
    default:
      return { symbol: '?', tone: 'badge-neutral', known: false };
  }
}

export const firstPollMilliseconds = 1000;
export const longestPollMilliseconds = 10_000;

/**
 * Polling when the event stream is not available: every second while the run moves; when an
 * answer shows no change, or a request fails, the wait grows by half up to ten seconds.
 */
export function nextPollDelay(previousDelay: number, changed: boolean): number {
  if (changed) return firstPollMilliseconds;
  return Math.min(longestPollMilliseconds, Math.round(previousDelay * 1.5));
}

/** What counts as a change worth showing between two views of a run. */
export function progressChanged(previous: EvaluationRun | undefined, next: EvaluationRun): boolean {
  if (previous === undefined) return true;
  return (
    previous.status !== next.status ||
    finishedItems(previous.progress) !== finishedItems(next.progress) ||
    previous.progress.total !== next.progress.total ||
    previous.running_score.scored !== next.running_score.scored ||
    (previous.metrics === null) !== (next.metrics === null)
  );
}
