// Offline scoring (`modelmart eval score`): predictions against a benchmark's gold answers, with the
// metrics the reference tools report, as fractions in [0, 1].
import { z } from 'zod';
import type { DatasetReaderOptions } from '../benchmarks/dataset-files.js';
import { downloadMissingFiles } from '../benchmarks/dataset-downloader.js';
import { readGsm8k } from '../benchmarks/gsm8k-benchmark.js';
import { buildHumanEvalCheckProgram, readHumanEval, type HumanEvalProblem } from '../benchmarks/humaneval-benchmark.js';
import { readMath500, readMathTest, type MathItem } from '../benchmarks/math-benchmark.js';
import { readMmlu, type MmluItem } from '../benchmarks/mmlu-benchmark.js';
import { mmluCategoryBySubject } from '../benchmarks/mmlu-subjects.js';
import { PythonSandbox, type SandboxOptions } from '../sandbox/python-sandbox.js';
import { extractChainOfThoughtStrictAnswer, extractFlexibleAnswer, extractStrictAnswer, gsm8kExactMatch, invalidAnswer } from '../scorers/gsm8k-scorer.js';
import { extractMathAnswer, scoreMathOutput } from '../scorers/math-equivalence-scorer.js';
import { extractMmluLetter } from '../scorers/mmlu-letter-scorer.js';
import { meanPassAtK } from '../scorers/pass-at-k-scorer.js';
import { checkPredictionIds, PredictionsError, type Prediction } from './prediction-file-reader.js';

export const benchmarkNameSchema = z.enum(['gsm8k', 'gsm8k_cot', 'mmlu', 'humaneval', 'math', 'math500']);
export type BenchmarkName = z.infer<typeof benchmarkNameSchema>;

export interface ScoreReport {
  readonly benchmark: BenchmarkName;
  /** Items scored (HumanEval: problems, however many samples each). */
  readonly n: number;
  readonly metrics: Readonly<Record<string, number>>;
  /** Outputs with no extractable answer (scored wrong). */
  readonly invalid?: number;
  readonly samples?: number;
  readonly outcomes?: Readonly<Record<string, number>>;
  readonly subjects?: Readonly<Record<string, number>>;
  readonly categories?: Readonly<Record<string, number>>;
}

export interface ScoreOptions extends DatasetReaderOptions {
  readonly sandbox?: SandboxOptions;
  /** Fetch missing official files into the data directory first (it is the download cache). */
  readonly download?: boolean;
}

export function parseBenchmarkName(name: string): BenchmarkName {
  const parsed = benchmarkNameSchema.safeParse(name);
  if (!parsed.success) throw new PredictionsError(`unknown benchmark "${name}"; expected one of ${benchmarkNameSchema.options.join(', ')}`);
  return parsed.data;
}

function mean(values: readonly boolean[]): number {
  return values.length === 0 ? 0 : values.filter(Boolean).length / values.length;
}

function scoreGsm8k(benchmark: 'gsm8k' | 'gsm8k_cot', predictions: readonly Prediction[], options: ScoreOptions): ScoreReport {
  const items = readGsm8k(options, 'test');
  checkPredictionIds(predictions, new Set(items.map((_, index) => String(index))), benchmark, true);
  const strictExtract = benchmark === 'gsm8k' ? extractStrictAnswer : extractChainOfThoughtStrictAnswer;
  const strict: boolean[] = [];
  const flexible: boolean[] = [];
  let invalid = 0;
  for (const prediction of predictions) {
    const reference = items[Number(prediction.id)]?.answer ?? '';
    const strictAnswer = strictExtract(prediction.output);
    const flexibleAnswer = extractFlexibleAnswer(prediction.output);
    if (strictAnswer === invalidAnswer && flexibleAnswer === invalidAnswer) invalid += 1;
    strict.push(gsm8kExactMatch(strictAnswer, reference));
    flexible.push(gsm8kExactMatch(flexibleAnswer, reference));
  }
  return { benchmark, n: predictions.length, metrics: { strict_match: mean(strict), flexible_extract: mean(flexible) }, invalid };
}

function scoreMmlu(predictions: readonly Prediction[], options: ScoreOptions): ScoreReport {
  const byId = new Map<string, MmluItem>();
  for (const items of readMmlu(options, 'test').values()) for (const item of items) byId.set(`${item.subject}/${item.row}`, item);
  checkPredictionIds(predictions, new Set(byId.keys()), 'mmlu', true);
  const bySubject = new Map<string, boolean[]>();
  const byCategory = new Map<string, boolean[]>();
  const all: boolean[] = [];
  let invalid = 0;
  for (const prediction of predictions) {
    const item = byId.get(prediction.id);
    if (item === undefined) continue;
    const letter = extractMmluLetter(prediction.output);
    if (letter === invalidAnswer) invalid += 1;
    const correct = letter === item.answer;
    all.push(correct);
    const category = mmluCategoryBySubject.get(item.subject) ?? 'other';
    const subjectResults = bySubject.get(item.subject) ?? [];
    subjectResults.push(correct);
    bySubject.set(item.subject, subjectResults);
    const categoryResults = byCategory.get(category) ?? [];
    categoryResults.push(correct);
    byCategory.set(category, categoryResults);
  }
  const subjects = Object.fromEntries([...bySubject].sort(([a], [b]) => a.localeCompare(b)).map(([subject, results]) => [subject, mean(results)]));
  const categories = Object.fromEntries([...byCategory].sort(([a], [b]) => a.localeCompare(b)).map(([category, results]) => [category, mean(results)]));
  const subjectMeans = Object.values(subjects);
  const macro = subjectMeans.length === 0 ? 0 : subjectMeans.reduce((sum, value) => sum + value, 0) / subjectMeans.length;
  return { benchmark: 'mmlu', n: all.length, metrics: { accuracy: mean(all), macro_accuracy: macro }, invalid, subjects, categories };
}

function scoreMath(benchmark: 'math' | 'math500', predictions: readonly Prediction[], options: ScoreOptions): ScoreReport {
  const items: MathItem[] = benchmark === 'math' ? readMathTest(options) : readMath500(options);
  const byId = new Map(items.map((item) => [item.id, item]));
  checkPredictionIds(predictions, new Set(byId.keys()), benchmark, true);
  let invalid = 0;
  const results = predictions.map((prediction) => {
    if (extractMathAnswer(prediction.output) === invalidAnswer) invalid += 1;
    return scoreMathOutput(prediction.output, byId.get(prediction.id)?.answer);
  });
  return { benchmark, n: predictions.length, metrics: { accuracy: mean(results) }, invalid };
}

async function scoreHumanEval(predictions: readonly Prediction[], options: ScoreOptions): Promise<ScoreReport> {
  const problems = new Map<string, HumanEvalProblem>(readHumanEval(options).map((problem) => [problem.task_id, problem]));
  checkPredictionIds(predictions, new Set(problems.keys()), 'humaneval', false);
  const sandbox = new PythonSandbox(options.sandbox);
  const programs = predictions.map((prediction) => {
    const problem = problems.get(prediction.id);
    if (problem === undefined) throw new PredictionsError(`unknown HumanEval task ${prediction.id}`);
    return buildHumanEvalCheckProgram(problem, prediction.output);
  });
  const outcomes = await sandbox.runAll(programs);
  const byTask = new Map<string, { samples: number; correct: number }>();
  const counts: Record<string, number> = { passed: 0, failed: 0, 'timed out': 0 };
  predictions.forEach((prediction, index) => {
    const status = outcomes[index]?.status ?? 'failed';
    counts[status] = (counts[status] ?? 0) + 1;
    const tally = byTask.get(prediction.id) ?? { samples: 0, correct: 0 };
    tally.samples += 1;
    if (status === 'passed') tally.correct += 1;
    byTask.set(prediction.id, tally);
  });
  return { benchmark: 'humaneval', n: byTask.size, metrics: meanPassAtK([...byTask.values()]), samples: predictions.length, outcomes: counts };
}

export async function scorePredictions(benchmark: BenchmarkName, predictions: readonly Prediction[], options: ScoreOptions): Promise<ScoreReport> {
  if (options.download === true) await downloadMissingFiles(benchmark, options);
  switch (benchmark) {
    case 'gsm8k':
    case 'gsm8k_cot':
      return scoreGsm8k(benchmark, predictions, options);
    case 'mmlu':
      return scoreMmlu(predictions, options);
    case 'math':
    case 'math500':
      return scoreMath(benchmark, predictions, options);
    case 'humaneval':
      return scoreHumanEval(predictions, options);
  }
}

/** A short human-readable summary for the terminal. */
export function formatScoreReport(report: ScoreReport): string {
  const lines = [`${report.benchmark}: ${report.n} item(s) scored`];
  for (const [name, value] of Object.entries(report.metrics)) lines.push(`  ${name.padEnd(18)} ${(value * 100).toFixed(2)}%`);
  if (report.invalid !== undefined) lines.push(`  ${'[invalid]'.padEnd(18)} ${report.invalid}`);
  if (report.outcomes !== undefined) lines.push(`  outcomes           ${Object.entries(report.outcomes).map(([status, count]) => `${status} ${count}`).join(', ')}`);
  if (report.categories !== undefined) {
    for (const [category, value] of Object.entries(report.categories)) lines.push(`  ${category.padEnd(18)} ${(value * 100).toFixed(2)}%`);
  }
  return `${lines.join('\n')}\n`;
}
