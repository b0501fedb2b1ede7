// Completes a run once no item is left: scores every answer with the offline scorer (exactly as
// `eval score` would), stores the report, and attaches the primary metric to the model's card as
// a measured result. A conditional update makes sure one process does this, once.
import type { CatalogService, BenchmarkResult } from '../../catalog/index.js';
import type { Clock, Logger } from '../../core/index.js';
import type { SandboxOptions } from '../sandbox/python-sandbox.js';
import { scorePredictions, type BenchmarkName, type ScoreReport } from '../score/benchmark-scorer.js';
import { truncateAtStop } from './evaluation-item-scorer.js';
import type { EvaluationRepository, RunRow } from './evaluation-repository.js';
import { itemRequestSchema, runParametersSchema } from './evaluation-run-schema.js';

export interface FinalizerOptions {
  readonly repository: EvaluationRepository;
  readonly clock: Clock;
  readonly catalog?: CatalogService | undefined;
  readonly sandbox?: SandboxOptions | undefined;
  /** Overrides the data folder stored with the run (a worker on another machine). */
  readonly dataDirectory?: string | undefined;
  readonly logger?: Pick<Logger, 'warn' | 'error'> | undefined;
  /** Replaces the published checksums (tests reading small hand-written files). */
  readonly checksums?: Readonly<Record<string, string>> | undefined;
}

/** The metric a card shows for each benchmark, and the name it is shown under. */
export function primaryMetric(benchmark: BenchmarkName): { readonly card: string; readonly metric: string } {
  switch (benchmark) {
    case 'gsm8k':
    case 'gsm8k_cot':
      return { card: 'gsm8k', metric: 'strict_match' };
    case 'mmlu':
      return { card: 'mmlu', metric: 'accuracy' };
    case 'humaneval':
      return { card: 'humaneval', metric: 'pass@1' };
    case 'math':
      return { card: 'math', metric: 'accuracy' };
    case 'math500':
      return { card: 'math500', metric: 'accuracy' };
  }
}

function measuredSetting(benchmark: BenchmarkName, setting: string): BenchmarkResult['setting'] {
  switch (benchmark) {
    case 'gsm8k':
      return { shots: 5, note: 'strict-match, lm-evaluation-harness prompt' };
    case 'gsm8k_cot':
      return { shots: 8, chain_of_thought: true, note: 'strict-match' };
    case 'mmlu':
      return { shots: 5, note: 'micro average' };
    case 'humaneval':
      return { shots: 0, pass_at: 1, ...(setting === 'instruct' ? { note: 'instruct prompt' } : {}) };
    case 'math':
    case 'math500':
      return setting === 'minerva' ? { shots: 4, note: 'minerva format' } : { shots: 0 };
  }
}

export function measuredResult(run: Pick<RunRow, 'id' | 'benchmark' | 'setting' | 'finished_at'>, report: Pick<ScoreReport, 'metrics'>): BenchmarkResult | undefined {
  const benchmark = run.benchmark as BenchmarkName;
  const { card, metric } = primaryMetric(benchmark);
  const value = report.metrics[metric];
  if (value === undefined) return undefined;
  return {
    benchmark: card,
    // Cards hold percentages, as vendors publish them.
    score: Math.round(value * 10_000) / 100,
    setting: measuredSetting(benchmark, run.setting),
    source: { kind: 'measured', evaluation_run_id: run.id, ...(run.finished_at === null ? {} : { measured_at: run.finished_at }) },
  };
}

/** Finalizes the run if no item is pending or claimed and no one else is; true when this call did. */
export async function finalizeRunIfDone(runId: string, workerId: string, options: FinalizerOptions): Promise<boolean> {
  const { repository, clock } = options;
  const counts = await repository.counts(runId);
  if (counts.pending > 0 || counts.claimed > 0) return false;
  if (!(await repository.claimFinalization(runId, workerId))) return false;
  const run = await repository.findRun(runId);
  if (run === undefined) return false;
  try {
    const parameters = runParametersSchema.parse(JSON.parse(run.parameters));
    const items = await repository.finishedItems(runId);
    const predictions = items.map((item, index) => {
      const request = itemRequestSchema.parse(JSON.parse(item.request));
      // A failed item has no answer: it is scored wrong, as an empty output would be.
      return { id: item.item_id, output: item.status === 'done' ? truncateAtStop(item.response ?? '', request.stop) : '', line: index + 1 };
    });
    const report = await scorePredictions(run.benchmark as BenchmarkName, predictions, {
      dataDirectory: options.dataDirectory ?? parameters.data_directory,
      ...(options.checksums === undefined ? {} : { checksums: options.checksums }),
      ...(options.sandbox === undefined ? {} : { sandbox: options.sandbox }),
    });
    const finishedAt = clock.now().toISOString();
    await repository.updateRun(runId, {
      status: 'completed',
      metrics: JSON.stringify(report),
      done_items: counts.done,
      failed_items: counts.failed,
      cost: counts.cost,
      finished_at: finishedAt,
    });
    const result = measuredResult({ ...run, finished_at: finishedAt }, report);
    // A run with failed items measured fewer answers than it claims: it is kept, not published.
    if (options.catalog !== undefined && run.catalog_model_id !== null && counts.failed === 0 && result !== undefined) {
      await options.catalog.recordBenchmarkResult(run.catalog_model_id, result);
    }
  } catch (error) {
    options.logger?.error({ err: error, runId }, 'scoring the evaluation run failed');
    await repository.updateRun(runId, { status: 'failed', error: error instanceof Error ? error.message : String(error), finished_at: clock.now().toISOString() });
  }
  return true;
}
