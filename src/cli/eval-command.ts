// `modelmart eval score`: scores a predictions file offline against a benchmark's gold answers.
import { Command } from 'commander';
import { formatScoreReport, parseBenchmarkName, readPredictions, resolveDataDirectory, scorePredictions } from '../evals/index.js';

interface ScoreCommandOptions {
  readonly benchmark: string;
  readonly predictions: string;
  readonly dataDir?: string;
  readonly json?: boolean;
  readonly concurrency?: string;
  readonly allowUnisolated?: boolean;
}

function createScoreCommand(): Command {
  return new Command('score')
    .description('score model outputs ({"id","output"} JSON lines) against a benchmark, as the reference tools do')
    .requiredOption('--benchmark <name>', 'gsm8k | gsm8k_cot | mmlu | humaneval | math | math500')
    .requiredOption('--predictions <file>', 'JSON lines, one {"id": …, "output": "…"} per line')
    .option('--data-dir <dir>', 'folder laid out like the official downloads (default: MODELMART_DATASETS, else the download cache)')
    .option('--json', 'print one JSON object {"benchmark","n","metrics"}')
    .option('--concurrency <n>', 'HumanEval programs run at once (default: the number of cores)')
    .option('--allow-unisolated', 'run HumanEval code even where no network namespace can be made (unsafe)')
    .action(async (options: ScoreCommandOptions) => {
      const benchmark = parseBenchmarkName(options.benchmark);
      const predictions = readPredictions(options.predictions);
      const concurrency = options.concurrency === undefined ? undefined : Number.parseInt(options.concurrency, 10);
      const report = await scorePredictions(benchmark, predictions, {
        dataDirectory: resolveDataDirectory(options.dataDir),
        sandbox: {
          ...(concurrency !== undefined && Number.isFinite(concurrency) && concurrency > 0 ? { concurrency } : {}),
          ...(options.allowUnisolated === true ? { allowUnisolated: true } : {}),
        },
      });
      process.stdout.write(options.json === true ? `${JSON.stringify(report)}\n` : formatScoreReport(report));
    });
}

export function createEvalCommand(): Command {
  return new Command('eval').description('evaluate models on GSM8K, MMLU, HumanEval and MATH').addCommand(createScoreCommand());
}
