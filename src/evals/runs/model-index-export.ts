// Hugging Face `model-index` YAML (the model card's results metadata) from a model's completed
// evaluation runs: the newest run of each benchmark and setting, every metric as a percentage.
import { stringify } from 'yaml';
import type { BenchmarkName } from '../score/benchmark-scorer.js';
import type { RunRow } from './evaluation-repository.js';
import { scoreReportSchema } from './evaluation-run-schema.js';

const datasets: Readonly<Record<BenchmarkName, { readonly name: string; readonly type: string; readonly config?: string; readonly split: string }>> = {
  gsm8k: { name: 'GSM8K', type: 'gsm8k', config: 'main', split: 'test' },
  gsm8k_cot: { name: 'GSM8K (chain of thought)', type: 'gsm8k', config: 'main', split: 'test' },
  mmlu: { name: 'MMLU', type: 'cais/mmlu', config: 'all', split: 'test' },
  humaneval: { name: 'HumanEval', type: 'openai_humaneval', split: 'test' },
  math: { name: 'MATH', type: 'hendrycks/competition_math', split: 'test' },
  math500: { name: 'MATH-500', type: 'HuggingFaceH4/MATH-500', split: 'test' },
};

const shots: Readonly<Record<BenchmarkName, number>> = { gsm8k: 5, gsm8k_cot: 8, mmlu: 5, humaneval: 0, math: 0, math500: 0 };

export interface ModelIndexOptions {
  /** The model's name as the card should show it. */
  readonly name: string;
  /** Where a run can be looked at, e.g. the server's URL; `/admin/v1/evaluations/<id>` is appended. */
  readonly sourceUrl?: string | undefined;
}

export function exportModelIndex(runs: readonly RunRow[], options: ModelIndexOptions): string {
  const newest = new Map<string, RunRow>();
  for (const run of runs) {
    if (run.status !== 'completed' || run.metrics === null) continue;
    const slot = `${run.benchmark}\u0000${run.setting}`;
    const current = newest.get(slot);
    if (current === undefined || (run.finished_at ?? '') > (current.finished_at ?? '')) newest.set(slot, run);
  }
  const results = [...newest.values()]
    .sort((left, right) => left.benchmark.localeCompare(right.benchmark) || left.setting.localeCompare(right.setting))
    .map((run) => {
      const benchmark = run.benchmark as BenchmarkName;
      const report = scoreReportSchema.parse(JSON.parse(run.metrics ?? '{}'));
      const dataset = datasets[benchmark];
      const shotCount = run.setting === 'minerva' ? 4 : shots[benchmark];
      return {
        task: { type: 'text-generation', name: 'Text Generation' },
        dataset: { name: dataset.name, type: dataset.type, ...(dataset.config === undefined ? {} : { config: dataset.config }), split: dataset.split, args: { num_few_shot: shotCount } },
        metrics: Object.entries(report.metrics).map(([metric, value]) => ({ type: metric, value: Math.round(value * 10_000) / 100, name: `${metric} (${shotCount}-shot${run.setting === 'default' ? '' : `, ${run.setting}`})` })),
        source: {
          name: `Modelmart evaluation run ${run.id}`,
          ...(options.sourceUrl === undefined ? {} : { url: `${options.sourceUrl.replace(/\/$/, '')}/admin/v1/evaluations/${run.id}` }),
        },
      };
    });
  return `---\n${stringify({ 'model-index': [{ name: options.name, results }] })}---\n`;
}
