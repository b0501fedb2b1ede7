// The evaluation run benchmark: wall time of `modelmart eval run` on the full GSM8K test set
// (1,319 items) against a local instant upstream at concurrency 64, process start included,
// on a fresh SQLite database each round (so no answer comes from the cache). Target: < 15 s.
// The upstream answers every item with its gold answer, so the run must score 100%.
// Options: --rounds 3 --data-dir DIR (default: MODELMART_DATASETS, else ../shared/datasets beside the project)
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values: options } = parseArgs({ strict: false, options: { rounds: { type: 'string', default: '3' }, 'data-dir': { type: 'string' } } });
const rounds = Math.max(1, Number.parseInt(String(options.rounds), 10) || 3);
const dataDirectory = path.resolve(options['data-dir'] ?? process.env.MODELMART_DATASETS ?? path.join(projectRoot, '..', 'shared', 'datasets'));
const cli = path.join(projectRoot, 'bin', 'modelmart.js');

if (!existsSync(path.join(dataDirectory, 'gsm8k', 'test.jsonl'))) {
  process.stdout.write(`eval run benchmark: SKIPPED, no gsm8k under ${dataDirectory} (pass --data-dir or set MODELMART_DATASETS)\n`);
  process.exit(0);
}
if (!existsSync(path.join(projectRoot, 'dist', 'cli', 'cli-program.js'))) {
  process.stderr.write('eval run benchmark: build first (npm run build)\n');
  process.exit(1);
}

const gold = new Map(
  readFileSync(path.join(dataDirectory, 'gsm8k', 'test.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line))
    .map((item) => [item.question, item.answer]),
);

// The instant upstream: OpenAI chat completions JSON, the gold answer of the question asked.
let calls = 0;
const upstream = createServer((request, response) => {
  const parts = [];
  request.on('data', (part) => parts.push(part));
  request.on('end', () => {
    calls += 1;
    const body = JSON.parse(Buffer.concat(parts).toString() || '{}');
    const question = (body.messages?.at(-1)?.content ?? '').replace(/^Question: /, '').replace(/\nAnswer:$/, '');
    const text = gold.get(question) ?? 'unknown';
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({
      id: 'chatcmpl-bench', object: 'chat.completion', created: 1_732_000_000, model: body.model,
      choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop', logprobs: null }],
      usage: { prompt_tokens: 700, completion_tokens: 100, total_tokens: 800 },
    }));
  });
});
await new Promise((resolve) => upstream.listen(0, '127.0.0.1', resolve));
const baseUrl = `http://127.0.0.1:${upstream.address().port}/v1`;

const scratch = mkdtempSync(path.join(os.tmpdir(), 'modelmart-bench-eval-run-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));
const configPath = path.join(scratch, 'modelmart.yaml');
writeFileSync(configPath, `providers:\n  - id: bench\n    type: openai-compatible\n    baseUrl: ${baseUrl}\n    models: [instant]\n`);

const run = promisify(execFile);
const times = [];
let report;
for (let round = 0; round < rounds; round += 1) {
  const data = path.join(scratch, `data-${round}`);
  const before = calls;
  const started = process.hrtime.bigint();
  const { stdout } = await run(process.execPath, [cli, 'eval', 'run', '--benchmark', 'gsm8k', '--model', 'bench/instant', '--concurrency', '64', '--quiet', '--json', '--config', configPath, '--data', data, '--data-dir', dataDirectory], {
    env: { ...process.env, MODELMART_LOG_LEVEL: 'warn' },
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  report = JSON.parse(stdout);
  times.push(seconds);
  process.stdout.write(`round ${round + 1}: ${seconds.toFixed(2)} s, ${calls - before} upstream calls, ${report.progress.done}/${report.progress.total} answered, strict_match ${report.metrics?.metrics.strict_match}\n`);
}
upstream.close();

const median = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)];
const correct = report.status === 'completed' && report.progress.done === 1319 && report.metrics?.metrics.strict_match === 1;
const verdict = median < 15 && correct ? 'PASS' : 'FAIL';
process.stdout.write(`GSM8K eval run, 1,319 items, concurrency 64: median ${median.toFixed(2)} s over ${times.length} run(s) ${verdict}\n`);

const resultsFile = path.join(projectRoot, 'bench', 'results', 'evals.md');
const section = [
  '## `eval run` through the gateway',
  '',
  `\`node bench/evals/gsm8k-run.mjs\` on ${new Date().toISOString().slice(0, 10)}: ${os.availableParallelism()} cores, Node ${process.version}, load average at the end ${os.loadavg().map((value) => value.toFixed(2)).join(' ')}.`,
  'The built `modelmart eval run --benchmark gsm8k --concurrency 64`, process start included, on a fresh SQLite database',
  'each round (no cache hits), against a local upstream answering at once with the gold answer.',
  '',
  '| case | median wall time | runs | target | scores 100% | verdict |',
  '|---|---:|---:|---:|---|---|',
  `| GSM8K, 1,319 items, concurrency 64 | ${median.toFixed(2)} s | ${times.length} (${times.map((time) => time.toFixed(2)).join(', ')} s) | < 15 s | ${correct ? 'yes' : 'NO'} | ${verdict} |`,
  '',
].join('\n');
const existing = existsSync(resultsFile) ? readFileSync(resultsFile, 'utf8') : '';
const marker = '## `eval run` through the gateway';
const kept = existing.includes(marker) ? existing.slice(0, existing.indexOf(marker)).trimEnd() : existing.trimEnd();
writeFileSync(resultsFile, `${kept}\n\n${section}`);
process.stdout.write('wrote bench/results/evals.md\n');
if (verdict === 'FAIL') process.exitCode = 1;
