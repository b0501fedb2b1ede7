// How a run is shown by the admin API and `--json`: identity, parameters, progress with the
// running score and spend, and the final metrics once completed.
import type { ScoreReport } from '../score/benchmark-scorer.js';
import type { ItemCounts, RunRow } from './evaluation-repository.js';
import { itemScoreSchema, runParametersSchema, scoreReportSchema, type RunParameters } from './evaluation-run-schema.js';

export interface RunningScore {
  readonly correct: number;
  readonly scored: number;
  /** correct / scored, or null before any item is scored (HumanEval is scored at the end). */
  readonly value: number | null;
}

export interface RunView {
  readonly object: 'evaluation.run';
  readonly id: string;
  readonly benchmark: string;
  readonly setting: string;
  readonly model: string;
  readonly catalog_model_id: string | null;
  readonly parameters: RunParameters;
  readonly status: string;
  readonly progress: { readonly total: number; readonly done: number; readonly failed: number; readonly pending: number; readonly claimed: number };
  readonly running_score: RunningScore;
  /** Currency units (not micro-units); currency null when the catalogue knows no price. */
  readonly spend: { readonly amount: number; readonly currency: string | null };
  readonly metrics: ScoreReport | null;
  readonly error: string | null;
  readonly created_at: string;
  readonly started_at: string | null;
  readonly finished_at: string | null;
  readonly created_by: string | null;
}

/** A stored report read back, its absent parts left out rather than undefined. */
export function parseScoreReport(text: string): ScoreReport {
  const { benchmark, n, metrics, ...rest } = scoreReportSchema.parse(JSON.parse(text));
  const present = Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined));
  return { benchmark, n, metrics, ...present };
}

export function runningScore(scores: readonly string[]): RunningScore {
  let correct = 0;
  let scored = 0;
  for (const text of scores) {
    const score = itemScoreSchema.safeParse(JSON.parse(text));
    if (!score.success || score.data.correct === null) continue;
    scored += 1;
    if (score.data.correct) correct += 1;
  }
  return { correct, scored, value: scored === 0 ? null : correct / scored };
}

export function presentRun(run: RunRow, counts: ItemCounts, score: RunningScore): RunView {
  return {
    object: 'evaluation.run',
    id: run.id,
    benchmark: run.benchmark,
    setting: run.setting,
    model: run.model,
    catalog_model_id: run.catalog_model_id,
    parameters: runParametersSchema.parse(JSON.parse(run.parameters)),
    status: run.status,
    progress: { total: counts.total, done: counts.done, failed: counts.failed, pending: counts.pending, claimed: counts.claimed },
    running_score: score,
    spend: { amount: counts.cost / 1_000_000, currency: run.cost_currency },
    metrics: run.metrics === null ? null : parseScoreReport(run.metrics),
    error: run.error,
    created_at: run.created_at,
    started_at: run.started_at,
    finished_at: run.finished_at,
    created_by: run.created_by,
  };
}
