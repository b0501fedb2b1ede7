// How a run's results are shown: the metric a catalogue card shows for its benchmark, every
// metric as a percentage (that one first), the vendor's published score to put beside it, and
// an item's verdict as a symbol and words.
import type { BenchmarkResult } from '../api/api-types';
import type { EvaluationRun, ScoreReport } from '../api/evaluation-types';

/** The metric recorded on the card for each benchmark, and the card's benchmark name (as the server's finalizer does). */
export function primaryMetric(benchmark: string): { readonly card: string; readonly metric: string } {
  switch (benchmark) {
    case 'gsm8k':
    case 'gsm8k_cot':
      return { card: 'gsm8k', metric: 'strict_match' };
    case 'humaneval':
      return { card: 'humaneval', metric: 'pass@1' };
    default:
      return { card: benchmark, metric: 'accuracy' };
  }
}

export interface MetricRow {
  readonly metric: string;
  /** A percentage (62.9 means 62.9 %), as scores are published. */
  readonly percent: number;
  readonly primary: boolean;
}

/** Every metric of the report as a percentage, the card's metric first, the rest by name. */
export function metricRows(report: ScoreReport, benchmark: string): MetricRow[] {
  const { metric: primary } = primaryMetric(benchmark);
  return Object.entries(report.metrics)
    .map(([metric, value]) => ({ metric, percent: roundPercent(value * 100), primary: metric === primary }))
    .sort((left, right) => Number(right.primary) - Number(left.primary) || left.metric.localeCompare(right.metric));
}

function roundPercent(value: number): number {
  return Math.round(value * 100) / 100;
}

/** The run's score as a percentage: the final metric once scored, else the running score; null before any. */
export function measuredPercent(run: Pick<EvaluationRun, 'benchmark' | 'metrics' | 'running_score'>): number | null {
  if (run.metrics !== null) {
    const value = run.metrics.metrics[primaryMetric(run.benchmark).metric];
    if (value !== undefined) return roundPercent(value * 100);
  }
  return run.running_score.value === null ? null : roundPercent(run.running_score.value * 100);
}

/** The vendor's published score for the run's benchmark on a card: the newest when there are several. */
export function publishedResult(benchmarks: readonly BenchmarkResult[], runBenchmark: string): BenchmarkResult | null {
  const { card } = primaryMetric(runBenchmark);
  const published = benchmarks.filter((result) => result.benchmark === card && result.source.kind === 'published');
  published.sort((left, right) => (right.source.kind === 'published' && left.source.kind === 'published' ? right.source.published_at.localeCompare(left.source.published_at) : 0));
  return published[0] ?? null;
}

/** Bars for the chart: every metric measured, and the published score beside the card's metric only. */
export function resultBars(rows: readonly MetricRow[], published: BenchmarkResult | null): { readonly labels: string[]; readonly measured: number[]; readonly published: (number | null)[] } {
  return {
    labels: rows.map((row) => row.metric),
    measured: rows.map((row) => row.percent),
    published: rows.map((row) => (row.primary && published !== null ? published.score : null)),
  };
}

/** An item's verdict as a symbol and a message key suffix; unscored items (HumanEval until the end) are neither. */
export function verdictOf(correct: boolean | null): { readonly symbol: string; readonly word: 'correct' | 'wrong' | 'unscored' } {
  if (correct === true) return { symbol: '✓', word: 'correct' };
  if (correct === false) return { symbol: '✗', word: 'wrong' };
  return { symbol: '—', word: 'unscored' };
}

/** Long questions (MMLU passages, HumanEval prompts) shortened for the table; the full text stays in a title. */
export function shortened(text: string, maximumCharacters = 240): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= maximumCharacters ? flat : `${flat.slice(0, maximumCharacters - 1).trimEnd()}…`;
}
