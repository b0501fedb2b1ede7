#!/usr/bin/env node
// The installed command: runs the compiled CLI (built by `npm run build`, which `npm ci` runs via `prepare`).
import { runCli } from '../dist/cli/cli-program.js';

runCli(process.argv).then(
  (exitCode) => {
    if (typeof exitCode === 'number') process.exitCode = exitCode;
  },
  (error) => {
    process.stderr.write(`modelmart: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
