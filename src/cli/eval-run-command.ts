// `modelmart eval run | worker | export`: measure a model through the gateway, help a run along
// from any number of machines, and export a model's measured results as model-index YAML.
import { Command } from 'commander';
import cliProgress from 'cli-progress';
import { invalidRequest } from '../core/index.js';
import { downloadMissingFiles, exportModelIndex, formatMoney, formatScoreReport, parseBenchmarkName, resolveDataDirectory, type EvaluationService, type ItemEvent, type RunView } from '../evals/index.js';
import { addDatabaseOptions, type DatabaseOptions } from './cli-options.js';
import type { EvaluationSession, SessionOptions } from './eval-gateway-session.js';

// The session brings the whole gateway (server, billing, providers); loaded only by the commands that run, so `--help` stays quick.
async function openEvaluationSession(options: SessionOptions): Promise<EvaluationSession> {
  const session = await import('./eval-gateway-session.js');
  return session.openEvaluationSession(options);
}

function positiveInteger(name: string): (text: string) => number {
  return (text) => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1) throw invalidRequest(`${name}: expected a whole number above 0, got ${JSON.stringify(text)}`, name);
    return value;
  };
}

function nonNegativeNumber(name: string): (text: string) => number {
  return (text) => {
    const value = Number(text);
    if (!Number.isFinite(value) || value < 0) throw invalidRequest(`${name}: expected a number of 0 or more, got ${JSON.stringify(text)}`, name);
    return value;
  };
}

/** A progress bar on stderr (also when it is not a terminal, at a slower pace) that follows item events. */
function progressReporter(view: RunView, quiet: boolean): { readonly onItem: (event: ItemEvent) => void; stop(): void } {
  let done = view.progress.done + view.progress.failed;
  let correct = view.running_score.correct;
  let scored = view.running_score.scored;
  let spend = view.spend.amount * 1_000_000;
  const currency = view.spend.currency;
  const payload = () => ({ score: scored === 0 ? '–' : `${((correct / scored) * 100).toFixed(1)}%`, spend: formatMoney(spend, currency) });
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `${view.benchmark} {bar} {value}/{total} | {speed} items/s | ETA {eta_formatted} | score {score} | spend {spend}`,
      noTTYOutput: true,
      notTTYSchedule: 2_000,
      etaBuffer: 200,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const started = performance.now();
  const startDone = done;
  const speed = () => {
    const seconds = (performance.now() - started) / 1000;
    return seconds <= 0 ? '0' : ((done - startDone) / seconds).toFixed(1);
  };
  if (!quiet) bar.start(view.progress.total, done, { ...payload(), speed: '0' });
  return {
    onItem(event) {
      done += 1;
      spend += event.cost;
      if (event.correct !== null) {
        scored += 1;
        if (event.correct) correct += 1;
      }
      if (!quiet) bar.update(done, { ...payload(), speed: speed() });
    },
    stop() {
      if (!quiet) {
        bar.update(done, { ...payload(), speed: speed() });
        bar.stop();
      }
    },
  };
}

/** Aborts on the first SIGINT/SIGTERM so claims are handed back; the run can be resumed. */
function interruptSignal(): { readonly signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

function summary(view: RunView): string {
  const head = `run ${view.id}: ${view.status}, ${view.progress.done}/${view.progress.total} answered${view.progress.failed > 0 ? `, ${view.progress.failed} failed` : ''}, spend ${formatMoney(view.spend.amount * 1_000_000, view.spend.currency)}\n`;
  if (view.metrics === null) return `${head}${view.error === null ? '' : `error: ${view.error}\n`}`;
  const card = view.catalog_model_id === null ? `no catalogue card stands for ${view.model}: the run is kept, no card shows it\n` : `recorded on the card ${view.catalog_model_id}\n`;
  return `${head}${formatScoreReport(view.metrics)}${view.progress.failed > 0 ? 'not recorded on the card: some items failed; resume with --run-id to retry them\n' : card}`;
}

async function workUntilDone(evaluations: EvaluationService, runId: string, concurrency: number, quiet: boolean, dataDirectory?: string): Promise<RunView> {
  const reporter = progressReporter(await evaluations.get(runId), quiet);
  const interrupt = interruptSignal();
  try {
    const view = await evaluations.work(runId, { concurrency, onItem: reporter.onItem, signal: interrupt.signal, ...(dataDirectory === undefined ? {} : { dataDirectory }) });
    reporter.stop();
    if (interrupt.signal.aborted) throw invalidRequest(`interrupted; ${view.progress.done} of ${view.progress.total} items are stored. Resume with: modelmart eval run --run-id ${runId}`);
    return view;
  } finally {
    interrupt.dispose();
  }
}

interface RunOptions extends DatabaseOptions {
  readonly benchmark?: string;
  readonly model?: string;
  readonly setting: string;
  readonly api: string;
  readonly limit?: number;
  readonly subjects?: string;
  readonly concurrency: number;
  readonly samples?: number;
  readonly seed?: number;
  readonly temperature?: number;
  readonly maxTokens?: number;
  readonly runId?: string;
  readonly dataDir?: string;
  readonly json?: boolean;
  readonly quiet?: boolean;
  readonly enqueue?: boolean;
  readonly allowUnisolated?: boolean;
}

function createRunCommand(): Command {
  const command = new Command('run').description('measure a model on a benchmark through the gateway (resumable with --run-id)');
  return addDatabaseOptions(command)
    .option('--benchmark <name>', 'gsm8k | gsm8k_cot | mmlu | humaneval | math | math500')
    .option('--model <model>', 'a gateway model: a route name, <provider>/<model> or gpt:<slug>')
    .option('--setting <setting>', 'default | instruct (humaneval) | minerva (math, math500)', 'default')
    .option('--api <api>', 'chat (few-shot examples as turns) | completion (the plain prompt, for base models)', 'chat')
    .option('--limit <n>', 'only the first n items', positiveInteger('--limit'))
    .option('--subjects <list>', 'mmlu subjects, separated by commas')
    .option('--concurrency <n>', 'calls in flight', positiveInteger('--concurrency'), 8)
    .option('--samples <n>', 'samples per item (humaneval pass@k)', positiveInteger('--samples'))
    .option('--seed <n>', 'sampling seed (sample i uses seed + i)', nonNegativeNumber('--seed'))
    .option('--temperature <t>', 'default 0 (greedy), or 0.8 with --samples above 1', nonNegativeNumber('--temperature'))
    .option('--max-tokens <n>', 'answer length limit (default per benchmark)', positiveInteger('--max-tokens'))
    .option('--run-id <id>', 'resume this run: only items without a stored answer are called')
    .option('--data-dir <dir>', 'folder laid out like the official downloads (default: MODELMART_DATASETS, else the download cache)')
    .option('--json', 'print the finished run as JSON')
    .option('--quiet', 'no progress bar')
    .option('--enqueue', 'only create the run and print its id; `eval worker` processes do the work')
    .option('--allow-unisolated', 'run HumanEval code even where no network namespace can be made (unsafe)')
    .action(async (options: RunOptions) => {
      if (options.runId === undefined && (options.benchmark === undefined || options.model === undefined)) {
        throw invalidRequest('eval run needs --benchmark and --model (or --run-id to resume a run)');
      }
      if (options.benchmark !== undefined) parseBenchmarkName(options.benchmark);
      const session = await openEvaluationSession({ ...options, ...(options.allowUnisolated === true ? { allowUnisolated: true } : {}) });
      try {
        const { evaluations } = session;
        let runId: string;
        if (options.runId !== undefined) {
          const resumed = await evaluations.resume(options.runId);
          runId = resumed.id;
          process.stderr.write(`resuming ${resumed.benchmark} on ${resumed.model}: ${resumed.progress.done} of ${resumed.progress.total} items already answered\n`);
        } else {
          const benchmark = parseBenchmarkName(options.benchmark ?? '');
          const fromEnvironment = process.env['MODELMART_DATASETS'];
          const download = options.dataDir === undefined && (fromEnvironment === undefined || fromEnvironment === '');
          const dataDirectory = resolveDataDirectory(options.dataDir);
          if (download) await downloadMissingFiles(benchmark, { dataDirectory });
          const { run, estimate } = await evaluations.createRun({
            benchmark,
            model: options.model ?? '',
            setting: options.setting as 'default',
            api: options.api as 'chat',
            data_directory: dataDirectory,
            ...(options.limit === undefined ? {} : { limit: options.limit }),
            ...(options.subjects === undefined ? {} : { subjects: options.subjects.split(',').map((subject) => subject.trim()).filter((subject) => subject !== '') }),
            ...(options.samples === undefined ? {} : { samples: options.samples }),
            ...(options.seed === undefined ? {} : { seed: options.seed }),
            ...(options.temperature === undefined ? {} : { temperature: options.temperature }),
            ...(options.maxTokens === undefined ? {} : { max_tokens: options.maxTokens }),
          });
          runId = run.id;
          const cost = estimate.currency === null ? 'unpriced (no catalogue price for this model)' : `about ${formatMoney(estimate.cost, estimate.currency)}, at most ${formatMoney(estimate.maximumCost, estimate.currency)}`;
          process.stderr.write(`run ${run.id}: ${estimate.items} item(s), ${estimate.promptTokens} prompt tokens; estimated cost ${cost} (answers already cached cost nothing)\n`);
        }
        if (options.enqueue === true) {
          process.stdout.write(options.json === true ? `${JSON.stringify(await evaluations.get(runId))}\n` : `${runId}\n`);
          return;
        }
        const view = await workUntilDone(evaluations, runId, options.concurrency, options.quiet === true);
        process.stdout.write(options.json === true ? `${JSON.stringify(view)}\n` : summary(view));
      } finally {
        await session.close();
      }
    });
}

interface WorkerOptions extends DatabaseOptions {
  readonly run?: string;
  readonly concurrency: number;
  readonly poll?: number;
  readonly dataDir?: string;
  readonly allowUnisolated?: boolean;
}

function createWorkerCommand(): Command {
  const command = new Command('worker').description('claim and answer items of queued or running runs (any number of workers, on PostgreSQL on any number of machines)');
  return addDatabaseOptions(command)
    .option('--run <id>', 'work on this run only')
    .option('--concurrency <n>', 'calls in flight', positiveInteger('--concurrency'), 8)
    .option('--poll <seconds>', 'when there is no work, look again after this long instead of exiting', positiveInteger('--poll'))
    .option('--data-dir <dir>', 'where this machine has the datasets, for the final scoring')
    .option('--allow-unisolated', 'run HumanEval code even where no network namespace can be made (unsafe)')
    .action(async (options: WorkerOptions) => {
      const session = await openEvaluationSession({ ...options, ...(options.allowUnisolated === true ? { allowUnisolated: true } : {}) });
      const dataDirectory = options.dataDir === undefined ? undefined : resolveDataDirectory(options.dataDir);
      try {
        for (;;) {
          const runIds = options.run === undefined ? await session.evaluations.workableRunIds() : [options.run];
          for (const runId of runIds) {
            const view = await workUntilDone(session.evaluations, runId, options.concurrency, true, dataDirectory);
            process.stderr.write(`worker: run ${view.id} is ${view.status} (${view.progress.done}/${view.progress.total} answered)\n`);
          }
          if (options.poll === undefined) return;
          await new Promise((resolve) => setTimeout(resolve, (options.poll ?? 1) * 1000));
        }
      } finally {
        await session.close();
      }
    });
}

interface ExportOptions extends DatabaseOptions {
  readonly model: string;
  readonly name?: string;
  readonly sourceUrl?: string;
}

function createExportCommand(): Command {
  const command = new Command('export').description("print a model's measured results as Hugging Face model-index YAML");
  return addDatabaseOptions(command)
    .requiredOption('--model <model>', 'the gateway model name or catalogue id the runs measured')
    .option('--name <name>', 'the model name in the YAML (default: --model)')
    .option('--source-url <url>', "this server's URL, to link each result to its run")
    .action(async (options: ExportOptions) => {
      const session = await openEvaluationSession(options);
      try {
        const runs = await session.evaluations.completedRuns(options.model);
        if (runs.length === 0) throw invalidRequest(`no completed evaluation run of '${options.model}'; run one with modelmart eval run`, 'model', 'no_evaluation_runs');
        process.stdout.write(exportModelIndex(runs, { name: options.name ?? options.model, sourceUrl: options.sourceUrl }));
      } finally {
        await session.close();
      }
    });
}

export function addEvalRunCommands(parent: Command): Command {
  return parent.addCommand(createRunCommand()).addCommand(createWorkerCommand()).addCommand(createExportCommand());
}
