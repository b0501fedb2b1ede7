// The evaluation benchmark: wall time of `modelmart eval score` on gold outputs, as a user runs it
// (the built CLI, process start included): 14,042 MMLU outputs (target < 2 s), the 164 canonical
// HumanEval solutions on 2 sandbox slots (target < 30 s), plus GSM8K and MATH for reference.
// Then runs gsm8k-run.mjs (`eval run` through the gateway). Options: --rounds 3 --data-dir DIR (default: MODELMART_DATASETS, else ../shared/datasets beside the project)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
// run-all passes every benchmark the same arguments, so unknown ones are ignored.
const { values: options } = parseArgs({ strict: false, options: { rounds: { type: 'string', default: '3' }, 'data-dir': { type: 'string' } } });
const rounds = Math.max(1, Number.parseInt(String(options.rounds), 10) || 3);
const dataDirectory = path.resolve(options['data-dir'] ?? process.env.MODELMART_DATASETS ?? path.join(projectRoot, '..', 'shared', 'datasets'));
const cli = path.join(projectRoot, 'bin', 'modelmart.js');
const distEvals = path.join(projectRoot, 'dist', 'evals');

if (!existsSync(dataDirectory)) {
  process.stdout.write(`evals benchmark: SKIPPED, no datasets folder at ${dataDirectory} (pass --data-dir or set MODELMART_DATASETS)\n`);
  process.exit(0);
}
if (!existsSync(path.join(distEvals, 'index.js'))) {
  process.stderr.write('evals benchmark: build first (npm run build)\n');
  process.exit(1);
}

const load = async (file) => import(pathToFileURL(path.join(distEvals, 'benchmarks', file)).href);
const { readMmlu } = await load('mmlu-benchmark.js');
const { readHumanEval } = await load('humaneval-benchmark.js');
const { readGsm8k } = await load('gsm8k-benchmark.js');
const { readMathTest } = await load('math-benchmark.js');
const readerOptions = { dataDirectory };

const scratch = mkdtempSync(path.join(os.tmpdir(), 'modelmart-bench-evals-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

function writePredictions(name, records) {
  const file = path.join(scratch, `${name}.jsonl`);
  writeFileSync(file, records.map((record) => JSON.stringify(record)).join('\n') + '\n');
  return file;
}

const cases = [
  {
    name: 'mmlu',
    label: 'MMLU, 14,042 gold letters',
    targetSeconds: 2,
    rounds,
    file: writePredictions('mmlu', [...readMmlu(readerOptions, 'test').values()].flat().map((item) => ({ id: `${item.subject}/${item.row}`, output: item.answer }))),
    check: (report) => report.n === 14_042 && report.metrics.accuracy === 1,
  },
  {
    name: 'humaneval',
    label: 'HumanEval, 164 canonical solutions, 2 sandbox slots',
    targetSeconds: 30,
    rounds: Math.min(rounds, 2),
    extra: ['--concurrency', '2'],
    file: writePredictions('humaneval', readHumanEval(readerOptions).map((problem) => ({ id: problem.task_id, output: problem.canonical_solution }))),
    check: (report) => report.n === 164 && report.metrics['pass@1'] === 1,
  },
  {
    name: 'gsm8k',
    label: 'GSM8K, 1,319 gold answers',
    rounds,
    file: writePredictions('gsm8k', readGsm8k(readerOptions, 'test').map((item, index) => ({ id: index, output: item.answer }))),
    check: (report) => report.metrics.strict_match === 1 && report.metrics.flexible_extract === 1,
  },
  {
    name: 'math',
    label: 'MATH, 5,000 reference solutions',
    rounds,
    file: writePredictions('math', readMathTest(readerOptions).map((item) => ({ id: Number(item.id), output: item.solution }))),
    check: (report) => report.n === 5000 && report.metrics.accuracy === 1,
  },
];

function timeCommand(args) {
  const started = process.hrtime.bigint();
  const stdout = execFileSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, MODELMART_LOG_LEVEL: 'warn' } });
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, stdout };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const startup = median(Array.from({ length: rounds }, () => timeCommand(['--help']).seconds));
const results = [];
for (const benchmarkCase of cases) {
  const times = [];
  let report;
  for (let round = 0; round < benchmarkCase.rounds; round += 1) {
    const run = timeCommand(['eval', 'score', '--benchmark', benchmarkCase.name, '--predictions', benchmarkCase.file, '--data-dir', dataDirectory, '--json', ...(benchmarkCase.extra ?? [])]);
    times.push(run.seconds);
    report = JSON.parse(run.stdout);
  }
  const seconds = median(times);
  const correct = benchmarkCase.check(report);
  const verdict = benchmarkCase.targetSeconds === undefined ? '' : seconds < benchmarkCase.targetSeconds && correct ? 'PASS' : 'FAIL';
  results.push({ name: benchmarkCase.name, label: benchmarkCase.label, seconds, times, targetSeconds: benchmarkCase.targetSeconds, correct, verdict, metrics: report.metrics });
  process.stdout.write(`${benchmarkCase.label}: median ${seconds.toFixed(2)} s over ${times.length} run(s), scores ${JSON.stringify(report.metrics)} ${verdict}\n`);
}

const loadAverage = os.loadavg().map((value) => value.toFixed(2)).join(' ');
const lines = [
  '# Evaluation scoring benchmark',
  '',
  `\`node bench/evals/run.mjs\` on ${new Date().toISOString().slice(0, 10)}: ${os.availableParallelism()} cores, Node ${process.version}, load average at the end ${loadAverage}.`,
  'Wall time of the built `modelmart eval score … --json`, process start included, median of the runs;',
  `a bare \`modelmart --help\` (process start and module loading alone) takes ${startup.toFixed(2)} s here.`,
  '',
  '| case | median wall time | runs | target | gold scores 100% | verdict |',
  '|---|---:|---:|---:|---|---|',
  ...results.map((result) =>
    `| ${result.label} | ${result.seconds.toFixed(2)} s | ${result.times.length} | ${result.targetSeconds === undefined ? '–' : `< ${result.targetSeconds} s`} | ${result.correct ? 'yes' : 'NO'} | ${result.verdict || '–'} |`,
  ),
  '',
];
mkdirSync(path.join(projectRoot, 'bench', 'results'), { recursive: true });
writeFileSync(path.join(projectRoot, 'bench', 'results', 'evals.md'), lines.join('\n'));
writeFileSync(path.join(projectRoot, 'bench', 'results', 'evals.json'), JSON.stringify({ date: new Date().toISOString(), cores: os.availableParallelism(), startupSeconds: startup, results }, null, 2) + '\n');
process.stdout.write(`wrote bench/results/evals.md\n`);
if (results.some((result) => result.verdict === 'FAIL' || !result.correct)) process.exitCode = 1;

// Then `eval run` through the gateway (GSM8K, 1,319 items, concurrency 64), which adds its section.
const runBenchmark = spawnSync(process.execPath, [path.join(path.dirname(fileURLToPath(import.meta.url)), 'gsm8k-run.mjs'), ...process.argv.slice(2)], { stdio: 'inherit' });
if (runBenchmark.status !== 0) process.exitCode = 1;
