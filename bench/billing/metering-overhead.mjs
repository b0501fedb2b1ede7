// What metering costs the gateway: Modelmart with auth, rate limits, budget reservations and the
// usage ledger all on, against the same build with `billing.metering: false`, under the gateway
// benchmark's load (JSON chat completions), on SQLite and on PostgreSQL + Redis. The pairs take
// turns round by round; the ratio on/off is taken per round, then the median.
// `node bench/billing/metering-overhead.mjs [--rounds 3] [--duration 10] [--database-url URL] [--redis-url URL]`
// Writes bench/results/metering.{md,json}. Needs `npm run build`.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { projectRoot, startModelmart, startUpstream } from '../gateway/benchmark-targets.mjs';
import { ChildProcessGroup } from '../gateway/child-processes.mjs';
import { measureLoad } from '../gateway/load-measurement.mjs';
import { answerCheck } from '../gateway/sequential-measurement.mjs';
import { median } from '../gateway/sample-statistics.mjs';
import { meteredConfig, priceAndBudget, pricedModelCard } from './metered-variant.mjs';
import { scratchPostgres } from './scratch-postgres.mjs';

const { values: options } = parseArgs({
  // `npm run bench` passes every benchmark the same arguments; the ones meant for others are ignored.
  strict: false,
  options: {
    rounds: { type: 'string', default: '3' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '32' },
    'database-url': { type: 'string', default: process.env.MODELMART_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
    'redis-url': { type: 'string', default: 'redis://127.0.0.1:6379/14' },
  },
});
const settings = { durationSeconds: Number(options.duration), warmupSeconds: Number(options.warmup), connections: Number(options.connections) };
const rounds = Number(options.rounds);
const group = new ChildProcessGroup();
const log = (line) => process.stdout.write(`${line}\n`);

async function main() {
  const upstream = await startUpstream(group);
  const pairs = [];
  const sqliteOff = await startModelmart(group, upstream, [], { name: 'sqlite-off', label: 'SQLite, metering off', configLines: ['billing:', '  metering: false'], prepare: pricedModelCard });
  const sqliteOn = await startModelmart(group, upstream, [], { name: 'sqlite-on', label: 'SQLite, metering on', configLines: meteredConfig, prepare: priceAndBudget });
  pairs.push({ name: 'SQLite', off: sqliteOff, on: sqliteOn });
  const scratches = [];
  try {
    const offDatabase = await scratchPostgres(options['database-url']);
    const onDatabase = await scratchPostgres(options['database-url']);
    scratches.push(offDatabase, onDatabase);
    const postgresOff = await startModelmart(group, upstream, [], { name: 'pg-off', label: 'PostgreSQL + Redis, metering off', configLines: ['billing:', '  metering: false'], environment: { DATABASE_URL: offDatabase.url, REDIS_URL: options['redis-url'] }, prepare: pricedModelCard });
    const postgresOn = await startModelmart(group, upstream, [], { name: 'pg-on', label: 'PostgreSQL + Redis, metering on', configLines: meteredConfig, environment: { DATABASE_URL: onDatabase.url, REDIS_URL: options['redis-url'] }, prepare: priceAndBudget });
    pairs.push({ name: 'PostgreSQL + Redis', off: postgresOff, on: postgresOn });
  } catch (error) {
    log(`! PostgreSQL + Redis pair skipped: ${error instanceof Error ? error.message : String(error)}`);
  }
  for (const pair of pairs) for (const target of [pair.off, pair.on]) {
    if (target.skipped !== undefined) throw new Error(target.skipped);
    const problem = await answerCheck(target, 'json');
    if (problem !== undefined) throw new Error(`${target.label}: ${problem}`);
  }

  const results = pairs.map((pair) => ({ name: pair.name, off: [], on: [], ratios: [] }));
  for (let round = 0; round < rounds; round += 1) {
    for (const [index, pair] of pairs.entries()) {
      const order = round % 2 === 0 ? ['off', 'on'] : ['on', 'off'];
      const measured = {};
      for (const side of order) {
        measured[side] = await measureLoad(pair[side], upstream, 'json', settings);
        log(`round ${round + 1} ${pair[side].label}: ${measured[side].requestsPerSecond.toFixed(0)} req/s, ${measured[side].cpuMicrosecondsPerRequest?.toFixed(0)} µs CPU/request, ${measured[side].failures} failures`);
      }
      const result = results[index];
      result.off.push(measured.off);
      result.on.push(measured.on);
      result.ratios.push(measured.on.requestsPerSecond / measured.off.requestsPerSecond);
    }
  }

  const summary = results.map((result) => ({
    name: result.name,
    offRequestsPerSecond: median(result.off.map((run) => run.requestsPerSecond)),
    onRequestsPerSecond: median(result.on.map((run) => run.requestsPerSecond)),
    offCpuMicroseconds: median(result.off.map((run) => run.cpuMicrosecondsPerRequest)),
    onCpuMicroseconds: median(result.on.map((run) => run.cpuMicrosecondsPerRequest)),
    failures: [...result.off, ...result.on].reduce((total, run) => total + run.failures, 0),
    ratio: median(result.ratios),
    roundRatios: result.ratios,
  }));
  const revision = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: projectRoot, encoding: 'utf8' }).trim();
  const lines = [
    '# Metering overhead',
    '',
    `- Date: ${new Date().toISOString()}; Modelmart built from ${revision}; Node ${process.version}, ${os.cpus().length} cores, load average at end ${os.loadavg().map((value) => value.toFixed(2)).join(' ')}`,
    `- Command: \`node bench/billing/metering-overhead.mjs --rounds ${rounds} --duration ${settings.durationSeconds}\``,
    '- Load: the gateway benchmark\'s JSON chat completion, autocannon with 32 connections, warm-up then a measured run per target, pairs taking turns; medians over rounds.',
    '- "On": auth, key/project/organisation rate limits (never reached), a priced model (every request holds and settles money), an organisation budget, the usage ledger. "Off": the same build and the same priced model card (a card also turns on the context-window check and the licence gate, which are not metering) with `billing.metering: false`.',
    '',
    '| database | metering off req/s | metering on req/s | on / off | on / off per round | CPU µs/request off | CPU µs/request on | failures |',
    '|---|---:|---:|---:|---|---:|---:|---:|',
    ...summary.map((row) => `| ${row.name} | ${row.offRequestsPerSecond.toFixed(0)} | ${row.onRequestsPerSecond.toFixed(0)} | ${(row.ratio * 100).toFixed(0)}% | ${row.roundRatios.map((ratio) => `${(ratio * 100).toFixed(0)}`).join(', ')} | ${row.offCpuMicroseconds.toFixed(0)} | ${row.onCpuMicroseconds.toFixed(0)} | ${row.failures} |`),
    '',
    `Target: metering on keeps ≥ 85% of the requests/s without it — ${summary.map((row) => `${row.name} ${row.ratio >= 0.85 ? 'PASS' : 'FAIL'} (${(row.ratio * 100).toFixed(0)}%)`).join('; ')}.`,
    '',
  ];
  const folder = path.join(projectRoot, 'bench', 'results');
  mkdirSync(folder, { recursive: true });
  writeFileSync(path.join(folder, 'metering.md'), lines.join('\n'));
  writeFileSync(path.join(folder, 'metering.json'), `${JSON.stringify({ revision, summary, results }, null, 2)}\n`);
  log(lines.join('\n'));
  for (const scratch of scratches) await scratch.drop().catch(() => undefined);
}

try {
  await main();
} finally {
  await group.cleanUp();
}
