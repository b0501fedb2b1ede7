// `modelmart eval`: `score` scores a predictions file offline against a benchmark's gold answers,
// `prompt` prints an item's exact prompt; run, worker and export are in eval-run-command.ts.
import { Command } from 'commander';
import {
  buildItemPrompt,
  downloadMissingFiles,
  formatScoreReport,
  parseBenchmarkName,
  promptSettingSchema,
  PredictionsError,
  readPredictions,
  resolveDataDirectory,
  scorePredictions,
  toChatMessages,
} from '../evals/index.js';
import { addEvalRunCommands } from './eval-run-command.js';

/** The data folder, and whether it is the download cache (neither --data-dir nor MODELMART_DATASETS given). */
function dataFolder(option: string | undefined): { readonly dataDirectory: string; readonly download: boolean } {
  const fromEnvironment = process.env['MODELMART_DATASETS'];
  return { dataDirectory: resolveDataDirectory(option), download: option === undefined && (fromEnvironment === undefined || fromEnvironment === '') };
}

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
    .option('--data-dir <dir>', 'folder laid out like the official downloads (default: MODELMART_DATASETS, else the download cache, filled on first use)')
    .option('--json', 'print one JSON object {"benchmark","n","metrics"}')
    .option('--concurrency <n>', 'HumanEval programs run at once (default: the number of cores)')
    .option('--allow-unisolated', 'run HumanEval code even where no network namespace can be made (unsafe)')
    .action(async (options: ScoreCommandOptions) => {
      const benchmark = parseBenchmarkName(options.benchmark);
      const predictions = readPredictions(options.predictions);
      const concurrency = options.concurrency === undefined ? undefined : Number.parseInt(options.concurrency, 10);
      const report = await scorePredictions(benchmark, predictions, {
        ...dataFolder(options.dataDir),
        sandbox: {
          ...(concurrency !== undefined && Number.isFinite(concurrency) && concurrency > 0 ? { concurrency } : {}),
          ...(options.allowUnisolated === true ? { allowUnisolated: true } : {}),
        },
      });
      process.stdout.write(options.json === true ? `${JSON.stringify(report)}\n` : formatScoreReport(report));
    });
}

interface PromptCommandOptions {
  readonly benchmark: string;
  readonly id: string;
  readonly setting: string;
  readonly dataDir?: string;
  readonly chat?: boolean;
}

function createPromptCommand(): Command {
  return new Command('prompt')
    .description('print the exact prompt of one benchmark item')
    .requiredOption('--benchmark <name>', 'gsm8k | gsm8k_cot | mmlu | humaneval | math | math500')
    .requiredOption('--id <id>', 'the item id, as in a predictions file')
    .option('--setting <setting>', 'default | instruct (humaneval) | minerva (math, math500)', 'default')
    .option('--chat', 'print the chat messages (JSON) instead of the completion text')
    .option('--data-dir <dir>', 'folder laid out like the official downloads (default: MODELMART_DATASETS, else the download cache, filled on first use)')
    .action(async (options: PromptCommandOptions) => {
      const setting = promptSettingSchema.safeParse(options.setting);
      if (!setting.success) throw new PredictionsError(`unknown setting "${options.setting}"; expected one of ${promptSettingSchema.options.join(', ')}`);
      const benchmark = parseBenchmarkName(options.benchmark);
      const folder = dataFolder(options.dataDir);
      if (folder.download) await downloadMissingFiles(benchmark, folder);
      const prompt = buildItemPrompt(benchmark, options.id, setting.data, folder);
      process.stdout.write(options.chat === true ? `${JSON.stringify({ messages: toChatMessages(prompt), stop: prompt.stop }, null, 2)}\n` : `${prompt.text}\n`);
    });
}

export function createEvalCommand(): Command {
  const command = new Command('eval')
    .description('evaluate models on GSM8K, MMLU, HumanEval and MATH')
    .addCommand(createScoreCommand())
    .addCommand(createPromptCommand());
  return addEvalRunCommands(command);
}
