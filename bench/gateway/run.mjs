// The gateway benchmark (`npm run bench`): the instant upstream direct, a minimal proxy, the
// Portkey gateway and Modelmart, under the same load generator in one run, JSON and SSE.
// Options: --rounds 3 --duration 10 --warmup 3 --connections 32 --sequential-requests 500
//          --targets direct,proxy,portkey,modelmart
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { projectRoot, startMinimalProxy, startModelmart, startPortkey, startUpstream } from './benchmark-targets.mjs';
import { ChildProcessGroup } from './child-processes.mjs';
import { measureLoad } from './load-measurement.mjs';
import { evaluateGoals, modes, resultsMarkdown, summarize, targetOrder } from './results-report.mjs';
import { answerCheck, measureSequential } from './sequential-measurement.mjs';

const { values: options } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '32' },
    'sequential-requests': { type: 'string', default: '500' },
    'sequential-warmup': { type: 'string', default: '50' },
    targets: { type: 'string', default: targetOrder.join(',') },
  },
});

function positiveInteger(name) {
  const value = Number(options[name]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name}: expected a positive whole number, got ${JSON.stringify(options[name])}`);
  return value;
}

const settings = {
  rounds: positiveInteger('rounds'),
  durationSeconds: positiveInteger('duration'),
  warmupSeconds: positiveInteger('warmup'),
  connections: positiveInteger('connections'),
  sequentialRequests: positiveInteger('sequential-requests'),
  warmupRequests: positiveInteger('sequential-warmup'),
};
const selectedTargets = new Set(options.targets.split(',').map((name) => name.trim()));
selectedTargets.add('direct');
if (selectedTargets.has('modelmart') || selectedTargets.has('portkey')) selectedTargets.add('proxy');

const modeLabels = { json: 'JSON', sse: 'SSE' };
const group = new ChildProcessGroup();

// Everything is bounded; this is the backstop should a target hang.
const perLoadRunSeconds = settings.warmupSeconds + settings.durationSeconds + 2 * 10 + 5;
const budgetSeconds = 300 + settings.rounds * modes.length * targetOrder.length * (perLoadRunSeconds + 60);
const sequentialBudgetMilliseconds = 120_000;
const watchdog = setTimeout(() => {
  process.stderr.write(`gateway benchmark: stopped after its time budget of ${budgetSeconds} s\n`);
  group.cleanUp().finally(() => process.exit(1));
}, budgetSeconds * 1000);
watchdog.unref();

let stopping = false;
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]]) {
  process.on(signal, () => {
    stopping = true;
    process.stderr.write(`gateway benchmark: ${signal}, stopping the targets\n`);
    group.cleanUp().finally(() => process.exit(code));
  });
}

function commandLine() {
  const passed = process.argv.slice(2);
  if (process.env.npm_lifecycle_event === 'bench') return `npm run bench${passed.length > 0 ? ` -- ${passed.join(' ')}` : ''}`;
  return ['node', path.relative(projectRoot, process.argv[1]), ...passed].join(' ');
}

/** The commit Modelmart was built from, marked when src/ has changes not yet committed. */
function sourceRevision() {
  try {
    const git = (...commandArguments) => execFileSync('git', commandArguments, { cwd: projectRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const commit = git('rev-parse', '--short', 'HEAD');
    return git('status', '--porcelain', '--', 'src').length > 0 ? `${commit} with uncommitted changes in src/` : commit;
  } catch {
    return 'unknown';
  }
}

function log(line) {
  process.stdout.write(`${line}\n`);
}

/** The first line of a multi-line failure, and the first line below it that names an error. */
function oneLine(text) {
  const lines = text.split('\n').map((line) => line.trim()).filter((line) => line.length > 0);
  const errorLine = lines.slice(1).find((line) => /error/i.test(line));
  return [lines[0], errorLine].filter(Boolean).join(' ');
}

async function startOptionalTarget(start, upstream, name, label, skipped, notes) {
  let target;
  try {
    target = await start(group, upstream);
  } catch (error) {
    target = { name, label, skipped: `did not start: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (target.skipped === undefined) {
    for (const mode of modes) {
      const problem = await answerCheck(target, mode);
      if (problem !== undefined) {
        target.skipped = `its ${modeLabels[mode]} answer is not a whole chat completion: ${problem}`;
        await group.stop(target.handle);
        break;
      }
    }
  }
  if (target.skipped !== undefined) {
    skipped[target.label] = oneLine(target.skipped);
    notes.push(`${target.label} skipped: ${oneLine(target.skipped)}`);
    log(`! ${target.label} skipped: ${target.skipped}`);
    return undefined;
  }
  return target;
}

async function main() {
  const startedAt = new Date();
  const revision = sourceRevision();
  const loadAverageAtStart = os.loadavg();
  const notes = [
    `This machine has ${os.cpus().length} cores shared by the load generator, the target and the upstream, and other work; the rounds are interleaved and the ratios are taken per round and then the median, so that slow spells fall on all targets alike.`,
  ];
  const skipped = {};

  const upstream = await startUpstream(group);
  const targets = [upstream];
  if (selectedTargets.has('proxy')) targets.push(await startMinimalProxy(group, upstream));
  for (const target of targets) {
    for (const mode of modes) {
      const problem = await answerCheck(target, mode);
      if (problem !== undefined) throw new Error(`${target.label} (${modeLabels[mode]}): ${problem}`);
    }
  }
  if (selectedTargets.has('portkey')) {
    const portkey = await startOptionalTarget(startPortkey, upstream, 'portkey', 'Portkey gateway', skipped, notes);
    if (portkey !== undefined) targets.push(portkey);
  }
  if (selectedTargets.has('modelmart')) {
    // The gateway alone: metering (limits, holds, the ledger) has its own benchmark, bench/billing, against this same setup.
    const gatewayOnly = { label: 'Modelmart (auth on, metering off)', configLines: ['billing:', '  metering: false'] };
    const modelmart = await startOptionalTarget((group, upstream) => startModelmart(group, upstream, [], gatewayOnly), upstream, 'modelmart', gatewayOnly.label, skipped, notes);
    if (modelmart !== undefined) targets.push(modelmart);
  }

  const estimateSeconds = settings.rounds * modes.length * targets.length * (settings.warmupSeconds + settings.durationSeconds);
  log(`Measuring ${targets.map((target) => target.label).join(', ')}: ${settings.rounds} rounds, about ${Math.ceil(estimateSeconds / 60) + 1} min.`);

  const rounds = [];
  for (let roundIndex = 0; roundIndex < settings.rounds; roundIndex += 1) {
    const round = { load: {}, sequential: {} };
    const order = roundIndex % 2 === 0 ? targets : [...targets].reverse();
    for (const mode of modes) {
      round.load[mode] = {};
      for (const target of order) {
        const result = await measureLoad(target, upstream, mode, settings);
        round.load[mode][target.name] = result;
        log(
          `round ${roundIndex + 1}/${settings.rounds} ${modeLabels[mode].padEnd(4)} ${target.label.padEnd(32)} ${result.requestsPerSecond.toFixed(0).padStart(7)} req/s  p50 ${result.latencyP50Milliseconds?.toFixed(2)} ms  p99 ${result.latencyP99Milliseconds?.toFixed(2)} ms  ${result.cpuMicrosecondsPerRequest?.toFixed(0)} µs CPU/request${result.failures > 0 ? `  ${result.failures} failures` : ''}`,
        );
      }
      const sequential = await measureSequential(order, mode, { ...settings, deadline: Date.now() + sequentialBudgetMilliseconds });
      round.sequential[mode] = Object.fromEntries(sequential);
      const summary = [...sequential].map(([name, result]) => `${name} ${result.idleP50Milliseconds?.toFixed(3)}${mode === 'sse' ? `/${result.firstByteP50Milliseconds?.toFixed(3)}` : ''}`);
      log(`round ${roundIndex + 1}/${settings.rounds} ${modeLabels[mode].padEnd(4)} sequential p50 ms${mode === 'sse' ? ' (total/first byte)' : ''}: ${summary.join(', ')}`);
    }
    rounds.push(round);
  }

  const rows = summarize(rounds, targets);
  for (const row of rows) {
    if (row.sequentialFailure !== null) notes.push(`${row.label} ${modeLabels[row.mode]}: sequential requests cut short (${row.sequentialFailure}); its idle figures cover the requests before that.`);
    if (row.failures > 0) notes.push(`${row.label} ${modeLabels[row.mode]}: ${row.failures} failed requests under load.`);
  }
  const loadGeneratorBusy = rows.filter((row) => (row.loadGeneratorCpuPercent ?? 0) > 90).map((row) => `${row.label} ${modeLabels[row.mode]}`);
  if (loadGeneratorBusy.length > 0) notes.push(`The load generator used more than 90% of a core for ${loadGeneratorBusy.join(', ')}: those rows may be limited by the load generator rather than the target.`);

  const report = {
    date: startedAt.toISOString(),
    command: commandLine(),
    revision,
    node: process.version,
    cpu: { model: os.cpus()[0]?.model ?? 'unknown', count: os.cpus().length },
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverageAtStart,
    settings,
    skipped,
    notes,
    rows,
    goals: evaluateGoals(rounds, rows, { portkey: Object.keys(skipped).some((label) => label.startsWith('Portkey')) }),
  };
  const markdown = resultsMarkdown(report);
  const resultsFolder = path.join(projectRoot, 'bench', 'results');
  mkdirSync(resultsFolder, { recursive: true });
  writeFileSync(path.join(resultsFolder, 'gateway.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(path.join(resultsFolder, 'gateway.md'), markdown);
  log(`\n${markdown}`);
  log('Written to bench/results/gateway.md and bench/results/gateway.json.');
}

try {
  await main();
} catch (error) {
  // After a signal, the measurement in flight fails as its targets go away; that is expected.
  if (!stopping) process.stderr.write(`gateway benchmark failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
} finally {
  await group.cleanUp();
  clearTimeout(watchdog);
}
