// Installs the peer gateways (bench/peers/package.json) on demand, into their own folder so the
// project's install stays lean. A registry that cannot be reached skips the peer, with a reason.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const installTimeoutMilliseconds = 180_000;

function npmCommand() {
  // Under `npm run`, npm_execpath names the npm that started us; use the same one.
  const npmScript = process.env.npm_execpath;
  if (npmScript !== undefined && npmScript.endsWith('.js')) return { command: process.execPath, prefix: [npmScript] };
  return { command: 'npm', prefix: [] };
}

function runNpmInstall(peersFolder) {
  const { command, prefix } = npmCommand();
  const commandArguments = [...prefix, 'install', '--prefix', peersFolder, '--no-audit', '--no-fund', '--fetch-retries=1', '--fetch-timeout=20000'];
  return new Promise((resolve) => {
    const child = spawn(command, commandArguments, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (data) => {
      output = (output + data.toString('utf8')).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => child.kill('SIGKILL'), installTimeoutMilliseconds);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ ok: false, output: error.message });
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ ok: code === 0, output: code === null ? `${output}\nnpm install timed out` : output });
    });
  });
}

/** The line of npm's output that says what went wrong (its error code), not where its log is. */
function npmErrorLine(output) {
  const lines = output.trim().split('\n').filter((line) => !/complete log of this run/i.test(line));
  return (lines.find((line) => /\bcode E[A-Z]+|\berrno\b/.test(line)) ?? lines.at(-1) ?? '').trim();
}

/** Returns { startScript } when the Portkey gateway is installed (installing it if needed), else { skipped }. */
export async function ensurePortkeyGateway(peersFolder) {
  const startScript = path.join(peersFolder, 'node_modules', '@portkey-ai', 'gateway', 'build', 'start-server.js');
  if (existsSync(startScript)) return { startScript };
  process.stdout.write('Installing the Portkey gateway into bench/peers (once)…\n');
  const install = await runNpmInstall(peersFolder);
  if (install.ok && existsSync(startScript)) return { startScript };
  const unreachable = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|network|timed out/i.test(install.output);
  return { skipped: unreachable ? `the npm registry is unreachable, so @portkey-ai/gateway could not be installed (${npmErrorLine(install.output)})` : `npm install --prefix bench/peers failed: ${npmErrorLine(install.output)}` };
}
