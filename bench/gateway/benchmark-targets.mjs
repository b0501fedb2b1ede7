// The four targets the benchmark compares, each started as its own process on 127.0.0.1:
// the instant upstream itself (direct), the minimal proxy, the Portkey gateway and Modelmart.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { upstreamModelName } from './chat-fixtures.mjs';
import { freePort, waitForPort } from './child-processes.mjs';
import { ensurePortkeyGateway } from './peer-install.mjs';

const gatewayFolder = path.dirname(fileURLToPath(import.meta.url));
export const projectRoot = path.resolve(gatewayFolder, '..', '..');
const peersFolder = path.resolve(gatewayFolder, '..', 'peers');
const startTimeoutMilliseconds = 60_000;
const upstreamKey = 'sk-bench-upstream-key';

const jsonHeaders = { 'content-type': 'application/json', authorization: `Bearer ${upstreamKey}` };

async function startNodeServer(group, name, script, extraArguments) {
  const port = await freePort();
  const handle = group.start(name, process.execPath, [path.join(gatewayFolder, script), String(port), ...extraArguments], { ipc: true });
  await waitForPort(handle, port, startTimeoutMilliseconds);
  return { handle, port };
}

export async function startUpstream(group) {
  const { handle, port } = await startNodeServer(group, 'upstream', 'upstream-server.mjs', []);
  return { name: 'direct', label: 'upstream direct', origin: `http://127.0.0.1:${port}`, port, handle, cpuPid: handle.pid, model: upstreamModelName, headers: jsonHeaders };
}

export async function startMinimalProxy(group, upstream) {
  const { handle, port } = await startNodeServer(group, 'minimal proxy', 'minimal-proxy-server.mjs', [upstream.origin]);
  return { name: 'proxy', label: 'minimal proxy (http + undici)', origin: `http://127.0.0.1:${port}`, handle, cpuPid: handle.pid, model: upstreamModelName, headers: jsonHeaders };
}

export async function startPortkey(group, upstream) {
  const installed = await ensurePortkeyGateway(peersFolder);
  if (installed.skipped !== undefined) return { name: 'portkey', label: 'Portkey gateway', skipped: installed.skipped };
  const port = await freePort();
  const handle = group.start('Portkey gateway', process.execPath, [installed.startScript, `--port=${port}`, '--headless'], { cwd: peersFolder });
  await waitForPort(handle, port, startTimeoutMilliseconds);
  const headers = { ...jsonHeaders, 'x-portkey-provider': 'openai', 'x-portkey-custom-host': `${upstream.origin}/v1` };
  return { name: 'portkey', label: `Portkey gateway ${portkeyVersion()}`.trim(), origin: `http://127.0.0.1:${port}`, handle, cpuPid: handle.pid, model: upstreamModelName, headers };
}

function portkeyVersion() {
  try {
    const packageFile = path.join(peersFolder, 'node_modules', '@portkey-ai', 'gateway', 'package.json');
    return JSON.parse(readFileSync(packageFile, 'utf8')).version;
  } catch {
    return '';
  }
}

function modelmartConfig(upstream, extraConfig = []) {
  return [
    '# Written by the gateway benchmark: one openai-compatible provider, the instant upstream.',
    'providers:',
    '  - id: bench-upstream',
    '    type: openai-compatible',
    `    baseUrl: ${upstream.origin}/v1`,
    '    apiKey: ${MODELMART_BENCH_UPSTREAM_KEY}',
    `    models: [${upstreamModelName}]`,
    ...extraConfig,
    '',
  ].join('\n');
}

function modelmartEnvironment(adminKey, extraEnvironment = {}) {
  const environment = { ...process.env };
  // A developer's own settings must not leak into the measured server.
  for (const name of Object.keys(environment)) {
    if (name.startsWith('MODELMART_') || name === 'DATABASE_URL' || name === 'REDIS_URL' || name === 'PORT') delete environment[name];
  }
  return { ...environment, MODELMART_ADMIN_KEY: adminKey, MODELMART_LOG_LEVEL: 'warn', MODELMART_BENCH_UPSTREAM_KEY: upstreamKey, ...extraEnvironment };
}

/** Creates an ordinary application key with the admin key, as a real client would use. */
async function createApplicationKey(origin, adminKey) {
  const answer = await request(`${origin}/admin/v1/keys`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${adminKey}` },
    body: JSON.stringify({ name: 'gateway-benchmark' }),
    headersTimeout: 10_000,
    bodyTimeout: 10_000,
  });
  const text = await answer.body.text();
  if (answer.statusCode !== 201) throw new Error(`POST /admin/v1/keys answered ${answer.statusCode}: ${text.slice(0, 300)}`);
  return JSON.parse(text).key;
}

/**
 * A first start writes the packaged catalogue (about 700 cards) after it listens; measuring
 * meanwhile would time the import too, so the benchmark waits until /readyz says it has ended.
 */
async function catalogueImported(origin) {
  const deadline = Date.now() + startTimeoutMilliseconds;
  for (;;) {
    const answer = await request(`${origin}/readyz`, { headersTimeout: 10_000, bodyTimeout: 10_000 });
    const state = (await answer.body.json()).catalogue_import;
    if (state !== 'running') return;
    if (Date.now() > deadline) throw new Error(`Modelmart's catalogue import did not end within ${startTimeoutMilliseconds / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Starts Modelmart; `nodeOptions` (e.g. --cpu-prof) go to its node process. `variant` changes it:
 * { label, configLines (appended to modelmart.yaml), environment (DATABASE_URL, REDIS_URL…), prepare(origin, adminKey) }.
 */
export async function startModelmart(group, upstream, nodeOptions = [], variant = {}) {
  const cliEntry = path.join(projectRoot, 'bin', 'modelmart.js');
  if (!existsSync(path.join(projectRoot, 'dist', 'cli', 'cli-program.js'))) {
    return { name: 'modelmart', label: 'Modelmart', skipped: 'Modelmart is not built: run `npm run build` first' };
  }
  const dataFolder = group.temporaryFolder('modelmart-bench-data-');
  const configFile = path.join(group.temporaryFolder('modelmart-bench-config-'), 'modelmart.yaml');
  writeFileSync(configFile, modelmartConfig(upstream, variant.configLines));
  const adminKey = `mm-bench-admin-${randomBytes(16).toString('hex')}`;
  const port = await freePort();
  const commandArguments = [...nodeOptions, cliEntry, 'serve', '--port', String(port), '--host', '127.0.0.1', '--data', dataFolder, '--config', configFile];
  const handle = group.start(variant.label ?? 'Modelmart', process.execPath, commandArguments, { cwd: projectRoot, env: modelmartEnvironment(adminKey, variant.environment) });
  await waitForPort(handle, port, startTimeoutMilliseconds);
  const origin = `http://127.0.0.1:${port}`;
  await catalogueImported(origin);
  if (variant.prepare !== undefined) await variant.prepare(origin, adminKey);
  const applicationKey = await createApplicationKey(origin, adminKey);
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${applicationKey}` };
  return { name: variant.name ?? 'modelmart', label: variant.label ?? 'Modelmart (auth on)', origin, handle, cpuPid: handle.pid, model: `bench-upstream/${upstreamModelName}`, headers };
}
