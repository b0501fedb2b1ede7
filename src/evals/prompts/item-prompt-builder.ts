// The exact prompt a benchmark item gets, by benchmark, id and setting: what `eval prompt` prints
// and what a gateway-driven run will send.
import { z } from 'zod';
import type { DatasetReaderOptions } from '../benchmarks/dataset-files.js';
import { buildGsm8kChainOfThoughtPrompt, buildGsm8kPrompt, readGsm8k, type BuiltPrompt } from '../benchmarks/gsm8k-benchmark.js';
import { buildHumanEvalInstructPrompt, buildHumanEvalPrompt, readHumanEval } from '../benchmarks/humaneval-benchmark.js';
import { buildMathPrompt, buildMinervaMathPrompt, readMath500, readMathTest } from '../benchmarks/math-benchmark.js';
import { buildMmluPrompt, readMmluSubject } from '../benchmarks/mmlu-benchmark.js';
import { mmluSubjects } from '../benchmarks/mmlu-subjects.js';
import type { BenchmarkName } from '../score/benchmark-scorer.js';
import { PredictionsError } from '../score/prediction-file-reader.js';

export const promptSettingSchema = z.enum(['default', 'instruct', 'minerva']);
export type PromptSetting = z.infer<typeof promptSettingSchema>;

/** Codex's stop sequences: the completion ends where a new top-level statement would begin. */
export const humanEvalStopSequences = ['\nclass', '\ndef', '\n#', '\nif', '\nprint'] as const;

function unknownId(benchmark: string, id: string): PredictionsError {
  return new PredictionsError(`${benchmark} has no item with id "${id}"`);
}

function lineIndex(id: string, count: number, benchmark: string): number {
  const index = /^\d+$/.test(id) ? Number(id) : -1;
  if (index < 0 || index >= count) throw unknownId(benchmark, id);
  return index;
}

export function buildItemPrompt(benchmark: BenchmarkName, id: string, setting: PromptSetting, options: DatasetReaderOptions): BuiltPrompt {
  switch (benchmark) {
    case 'gsm8k':
    case 'gsm8k_cot': {
      const items = readGsm8k(options, 'test');
      const item = items[lineIndex(id, items.length, benchmark)];
      if (item === undefined) throw unknownId(benchmark, id);
      return benchmark === 'gsm8k_cot' ? buildGsm8kChainOfThoughtPrompt(item) : buildGsm8kPrompt(item, readGsm8k(options, 'train'));
    }
    case 'mmlu': {
      const [subject = '', row = ''] = id.split('/');
      if (!mmluSubjects.includes(subject)) throw unknownId(benchmark, id);
      const items = readMmluSubject(options, subject, 'test');
      const item = items[lineIndex(row, items.length, benchmark)];
      if (item === undefined) throw unknownId(benchmark, id);
      return buildMmluPrompt(item, readMmluSubject(options, subject, 'dev'));
    }
    case 'humaneval': {
      const problem = readHumanEval(options).find((candidate) => candidate.task_id === id);
      if (problem === undefined) throw unknownId(benchmark, id);
      const text = setting === 'instruct' ? buildHumanEvalInstructPrompt(problem) : buildHumanEvalPrompt(problem);
      return { text, shots: [], question: text, stop: setting === 'instruct' ? [] : humanEvalStopSequences };
    }
    case 'math':
    case 'math500': {
      const item = (benchmark === 'math' ? readMathTest(options) : readMath500(options)).find((candidate) => candidate.id === id);
      if (item === undefined) throw unknownId(benchmark, id);
      return setting === 'minerva' ? buildMinervaMathPrompt(item) : buildMathPrompt(item);
    }
  }
}
