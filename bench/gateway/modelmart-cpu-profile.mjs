// Profiles Modelmart under the benchmark's load: the instant upstream, Modelmart started with
// --cpu-prof, one bounded autocannon run per mode, then a summary of where its CPU time went.
// `node bench/gateway/modelmart-cpu-profile.mjs [--mode json|sse|both] [--duration 15] [--variant plain|metered|off] [--database-url URL --redis-url URL]`
// With --database-url, Modelmart runs on a scratch PostgreSQL database made next to it (and --redis-url, on that Redis).
// Profiles are written to bench/results/raw/ (not committed).
import { readdirSync, readFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { projectRoot, startModelmart, startUpstream } from './benchmark-targets.mjs';
import { ChildProcessGroup } from './child-processes.mjs';
import { formatCpuProfileSummary, summarizeCpuProfile } from './cpu-profile-summary.mjs';
import { measureLoad } from './load-measurement.mjs';
import { answerCheck } from './sequential-measurement.mjs';
import { meteredVariant, unmeteredVariant } from '../billing/metered-variant.mjs';
import { scratchPostgres } from '../billing/scratch-postgres.mjs';

const { values: options } = parseArgs({
  options: {
    mode: { type: 'string', default: 'both' },
    duration: { type: 'string', default: '15' },
    connections: { type: 'string', default: '32' },
    // metered: limits, a priced model and a budget (the billing benchmark's "metering on"); off: the same priced model, billing.metering false
    variant: { type: 'string', default: 'plain' },
    'database-url': { type: 'string' },
    'redis-url': { type: 'string' },
  },
});
const modes = options.mode === 'both' ? ['json', 'sse'] : [options.mode];
const settings = { durationSeconds: Number(options.duration), warmupSeconds: 3, connections: Number(options.connections) };
const rawFolder = path.join(projectRoot, 'bench', 'results', 'raw');

async function profileMode(mode) {
  const group = new ChildProcessGroup();
  const profileFolder = path.join(rawFolder, `modelmart-${mode}-${Date.now()}`);
  mkdirSync(profileFolder, { recursive: true });
  const scratch = options['database-url'] === undefined ? undefined : await scratchPostgres(options['database-url']);
  const environment = {
    ...(scratch === undefined ? {} : { DATABASE_URL: scratch.url }),
    ...(options['redis-url'] === undefined ? {} : { REDIS_URL: options['redis-url'] }),
  };
  const extra = Object.keys(environment).length === 0 ? {} : { environment };
  try {
    const upstream = await startUpstream(group);
    const variant = options.variant === 'metered' ? meteredVariant(extra) : options.variant === 'off' ? unmeteredVariant(extra) : extra;
    const modelmart = await startModelmart(group, upstream, ['--cpu-prof', '--cpu-prof-dir', profileFolder], variant);
    if (modelmart.skipped !== undefined) throw new Error(modelmart.skipped);
    const problem = await answerCheck(modelmart, mode);
    if (problem !== undefined) throw new Error(`Modelmart ${mode}: ${problem}`);
    const result = await measureLoad(modelmart, upstream, mode, settings);
    process.stdout.write(`\n== Modelmart ${mode.toUpperCase()}: ${result.requestsPerSecond.toFixed(0)} req/s, ${result.cpuMicrosecondsPerRequest.toFixed(0)} µs CPU/request ==\n`);
    // The profile is written when the process exits; SIGTERM lets it drain and exit normally.
    await group.stop(modelmart.handle, 30_000);
  } finally {
    await group.cleanUp();
    await scratch?.drop().catch(() => undefined);
  }
  const file = readdirSync(profileFolder).find((name) => name.endsWith('.cpuprofile'));
  if (file === undefined) throw new Error(`no profile was written to ${path.relative(projectRoot, profileFolder)}`);
  process.stdout.write(`${path.relative(projectRoot, path.join(profileFolder, file))}\n`);
  process.stdout.write(`${formatCpuProfileSummary(summarizeCpuProfile(JSON.parse(readFileSync(path.join(profileFolder, file), 'utf8'))))}\n`);
}

for (const mode of modes) await profileMode(mode);
