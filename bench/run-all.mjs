// `npm run bench`: runs every benchmark (bench/<name>/run.mjs) in turn, passing on any arguments,
// and fails if any of them fails.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const benchFolder = path.dirname(fileURLToPath(import.meta.url));
const benchmarks = readdirSync(benchFolder, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(path.join(benchFolder, entry.name, 'run.mjs')))
  .map((entry) => path.join(entry.name, 'run.mjs'))
  .sort();
// Benchmarks of a folder without a run.mjs of its own.
benchmarks.push(path.join('gpts', 'runner-overhead.mjs'));
benchmarks.push(path.join('gpts', 'retrieval.mjs'));

let running;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    // The benchmark stops its own targets; it just needs to hear about it.
    if (running !== undefined) running.kill(signal);
    else process.exit(1);
  });
}

let failed = 0;
for (const name of benchmarks) {
  process.stdout.write(`\n== bench/${name} ==\n`);
  const exitCode = await new Promise((resolve) => {
    running = spawn(process.execPath, [path.join(benchFolder, name), ...process.argv.slice(2)], { stdio: 'inherit' });
    running.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    running.on('error', () => resolve(1));
  });
  running = undefined;
  if (exitCode !== 0) failed += 1;
}
if (failed > 0) {
  process.stderr.write(`${failed} of ${benchmarks.length} benchmarks failed\n`);
  process.exitCode = 1;
}
