// The items of a run: every benchmark item (or sample of it) with the chat request it gets and the
// reference it is scored against. Each dataset file is read once, so building 14,042 MMLU items
// or the 1,319 GSM8K ones takes milliseconds rather than a read per item.
import type { DatasetReaderOptions } from '../benchmarks/dataset-files.js';
import { buildGsm8kChainOfThoughtPrompt, buildGsm8kPrompt, readGsm8k, type BuiltPrompt } from '../benchmarks/gsm8k-benchmark.js';
import { buildHumanEvalInstructPrompt, buildHumanEvalPrompt, readHumanEval } from '../benchmarks/humaneval-benchmark.js';
import { buildMathPrompt, buildMinervaMathPrompt, readMath500, readMathTest } from '../benchmarks/math-benchmark.js';
import { buildMmluPrompt, readMmluSubject } from '../benchmarks/mmlu-benchmark.js';
import { mmluSubjects } from '../benchmarks/mmlu-subjects.js';
import { toChatMessages } from '../benchmarks/prompt-messages.js';
import { humanEvalStopSequences, type PromptSetting } from '../prompts/item-prompt-builder.js';
import type { BenchmarkName } from '../score/benchmark-scorer.js';
import { PredictionsError } from '../score/prediction-file-reader.js';
import type { ItemRequest, RunParameters } from './evaluation-run-schema.js';

export interface RunItem {
  readonly itemId: string;
  readonly sampleIndex: number;
  readonly request: ItemRequest;
}

interface BenchmarkItem {
  readonly id: string;
  readonly prompt: BuiltPrompt;
  readonly reference: string | null;
}

/** Generation lengths as the reference configurations allow (lm-eval's max_gen_toks and the like). */
export function defaultMaxTokens(benchmark: BenchmarkName): number {
  switch (benchmark) {
    case 'gsm8k':
    case 'gsm8k_cot':
      return 256;
    case 'mmlu':
      return 64;
    case 'humaneval':
      return 512;
    case 'math':
    case 'math500':
      return 1024;
  }
}

/**
 * Greedy decoding for one sample, as the reference tools score pass@1 and accuracy; with several
 * samples (pass@k) 0.8, the temperature the Codex paper found best for pass@10 and pass@100.
 */
export function defaultTemperature(samples: number): number {
  return samples > 1 ? 0.8 : 0;
}

function benchmarkItems(benchmark: BenchmarkName, setting: PromptSetting, options: DatasetReaderOptions, subjects: readonly string[] | null): BenchmarkItem[] {
  switch (benchmark) {
    case 'gsm8k':
    case 'gsm8k_cot': {
      const train = benchmark === 'gsm8k' ? readGsm8k(options, 'train') : [];
      return readGsm8k(options, 'test').map((item, index) => ({
        id: String(index),
        prompt: benchmark === 'gsm8k' ? buildGsm8kPrompt(item, train) : buildGsm8kChainOfThoughtPrompt(item),
        reference: item.answer,
      }));
    }
    case 'mmlu': {
      const chosen = subjects ?? mmluSubjects;
      const unknown = chosen.find((subject) => !mmluSubjects.includes(subject));
      if (unknown !== undefined) throw new PredictionsError(`unknown MMLU subject "${unknown}"; subjects are named as in the files, e.g. abstract_algebra`);
      return chosen.flatMap((subject) => {
        const dev = readMmluSubject(options, subject, 'dev');
        return readMmluSubject(options, subject, 'test').map((item) => ({ id: `${subject}/${item.row}`, prompt: buildMmluPrompt(item, dev), reference: item.answer }));
      });
    }
    case 'humaneval':
      return readHumanEval(options).map((problem) => {
        const text = setting === 'instruct' ? buildHumanEvalInstructPrompt(problem) : buildHumanEvalPrompt(problem);
        return { id: problem.task_id, prompt: { text, shots: [], question: text, stop: setting === 'instruct' ? [] : humanEvalStopSequences }, reference: null };
      });
    case 'math':
    case 'math500':
      return (benchmark === 'math' ? readMathTest(options) : readMath500(options)).map((item) => ({
        id: item.id,
        prompt: setting === 'minerva' ? buildMinervaMathPrompt(item) : buildMathPrompt(item),
        reference: item.answer ?? null,
      }));
  }
}

/** The run's items in order: the first `limit` benchmark items, each repeated `samples` times. */
export function buildRunItems(benchmark: BenchmarkName, setting: PromptSetting, parameters: RunParameters, checksums?: Readonly<Record<string, string>>): RunItem[] {
  const options = { dataDirectory: parameters.data_directory, ...(checksums === undefined ? {} : { checksums }) };
  const items = benchmarkItems(benchmark, setting, options, parameters.subjects);
  const chosen = parameters.limit === null ? items : items.slice(0, parameters.limit);
  const runItems: RunItem[] = [];
  for (const item of chosen) {
    const input = parameters.api === 'completion' ? { prompt: item.prompt.text } : { messages: toChatMessages(item.prompt) };
    for (let sampleIndex = 0; sampleIndex < parameters.samples; sampleIndex += 1) {
      const stop = [...item.prompt.stop];
      runItems.push({
        itemId: item.id,
        sampleIndex,
        request: {
          body: {
            ...input,
            temperature: parameters.temperature,
            max_tokens: parameters.max_tokens,
            // A different seed a sample, so samples differ and each has its own cache entry.
            seed: parameters.seed + sampleIndex,
            ...(stop.length === 0 ? {} : { stop: stop.slice(0, 4) }),
          },
          stop,
          reference: item.reference,
        },
      });
    }
  }
  return runItems;
}
