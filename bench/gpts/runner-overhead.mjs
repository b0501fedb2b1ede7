// What the GPT runner adds per step: a GPT whose answer takes N model calls (N−1 tool steps, one
// tool call each) against the same work done by the client itself: N direct chat calls through
// the same Modelmart and N−1 calls of the same tool, side by side, taking turns. The local
// upstream and tool answer at once, so the difference is the runner's own time (instructions,
// tool schemas, the loop, metering per step, the SSRF-safe tool call) less the client's extra
// round trips. Reports the added milliseconds per step (median and p95 of the paired
// differences) against the target of < 2 ms, and writes bench/results/gpts.md.
// `node bench/gpts/runner-overhead.mjs [--steps 3] [--iterations 300] [--warmup 30]`. Needs `npm run build`.
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Agent, request } from 'undici';
import { projectRoot, startModelmart } from '../gateway/benchmark-targets.mjs';
import { upstreamModelName } from '../gateway/chat-fixtures.mjs';
import { ChildProcessGroup } from '../gateway/child-processes.mjs';
import { median, percentile } from '../gateway/sample-statistics.mjs';

const { values: options } = parseArgs({
  strict: false,
  options: {
    steps: { type: 'string', default: '3' },
    iterations: { type: 'string', default: '300' },
    warmup: { type: 'string', default: '30' },
  },
});
const steps = Number(options.steps);
const iterations = Number(options.iterations);
const warmup = Number(options.warmup);
const targetMilliseconds = 2;
const log = (line) => process.stdout.write(`${line}\n`);
const group = new ChildProcessGroup();
const dispatcher = new Agent({ connections: 8, pipelining: 1 });

function listen(server) {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}`)));
}

async function readJson(incoming) {
  const parts = [];
  for await (const part of incoming) parts.push(part);
  return JSON.parse(Buffer.concat(parts).toString() || '{}');
}

const usage = { prompt_tokens: 40, completion_tokens: 10, total_tokens: 50 };

/** An OpenAI-compatible upstream that calls the first offered tool until the conversation has `steps − 1` tool results, then answers. */
async function startUpstream() {
  const server = createServer((incoming, response) => {
    readJson(incoming).then((body) => {
      const toolResults = (body.messages ?? []).filter((message) => message.role === 'tool').length;
      const tool = body.tools?.[0]?.function?.name;
      const message =
        tool !== undefined && toolResults < steps - 1
          ? { role: 'assistant', content: null, tool_calls: [{ id: `call_${toolResults + 1}`, type: 'function', function: { name: tool, arguments: '{"city":"Paris"}' } }] }
          : { role: 'assistant', content: 'It is sunny in Paris.' };
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion', created: 1_764_300_000, model: body.model, choices: [{ index: 0, message, logprobs: null, finish_reason: message.tool_calls ? 'tool_calls' : 'stop' }], usage }));
    });
  });
  return { server, origin: await listen(server) };
}

async function startToolServer() {
  const server = createServer((_incoming, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end('{"forecast":"sunny","celsius":24}');
  });
  return { server, origin: await listen(server) };
}

async function call(url, headers, body, method = 'POST') {
  const answer = await request(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), dispatcher, headersTimeout: 30_000, bodyTimeout: 30_000 });
  const text = await answer.body.text();
  if (answer.statusCode >= 300) throw new Error(`${method} ${url} answered ${answer.statusCode}: ${text.slice(0, 300)}`);
  return text === '' ? {} : JSON.parse(text);
}

async function createGpt(modelmart, toolOrigin) {
  const { origin, headers } = modelmart;
  await call(`${origin}/store/v1/gpts`, headers, { name: 'Bench weather', slug: 'bench-weather', base_model: `bench-upstream/${upstreamModelName}`, instructions: 'You are a weather assistant. Use the tool.', capabilities: { knowledge: false, actions: true } });
  const document = {
    openapi: '3.1.0',
    info: { title: 'Weather', version: '1' },
    servers: [{ url: toolOrigin }],
    paths: { '/weather': { get: { operationId: 'get_weather', parameters: [{ name: 'city', in: 'query', required: true, schema: { type: 'string' } }], responses: { 200: { description: 'ok' } } } } },
  };
  await call(`${origin}/store/v1/gpts/bench-weather/actions`, headers, { kind: 'openapi', document });
  await call(`${origin}/store/v1/gpts/bench-weather/publish`, { authorization: headers.authorization });
}

const question = [{ role: 'user', content: 'Weather in Paris?' }];
const tools = [{ type: 'function', function: { name: 'get_weather', description: 'The weather in a city.', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } }];

async function gptAnswer(modelmart) {
  const started = performance.now();
  const completion = await call(`${modelmart.origin}/v1/chat/completions`, modelmart.headers, { model: 'gpt:bench-weather', messages: question });
  if (completion.modelmart?.model_calls !== steps) throw new Error(`the GPT made ${completion.modelmart?.model_calls} model calls, expected ${steps}`);
  return performance.now() - started;
}

/** The same model calls and tool calls, made by the client. */
async function directAnswer(modelmart, toolOrigin) {
  const started = performance.now();
  const messages = [{ role: 'system', content: 'You are a weather assistant. Use the tool.' }, ...question];
  for (let step = 1; step <= steps; step += 1) {
    const completion = await call(`${modelmart.origin}/v1/chat/completions`, modelmart.headers, { model: `bench-upstream/${upstreamModelName}`, messages, tools });
    const message = completion.choices[0].message;
    if (message.tool_calls === undefined) break;
    messages.push(message);
    for (const toolCall of message.tool_calls) {
      const answer = await request(`${toolOrigin}/weather?city=Paris`, { dispatcher });
      messages.push({ role: 'tool', tool_call_id: toolCall.id, content: await answer.body.text() });
    }
  }
  return performance.now() - started;
}

function commitOf() {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: projectRoot }).toString().trim();
  } catch {
    return 'unknown';
  }
}

async function main() {
  const upstream = await startUpstream();
  const toolServer = await startToolServer();
  const modelmart = await startModelmart(group, upstream, [], { name: 'gpt-runner', label: 'Modelmart (GPT runner)', configLines: ['gpts:', '  outbound:', "    allowList: ['127.0.0.1']"] });
  if (modelmart.skipped !== undefined) throw new Error(modelmart.skipped);
  try {
    await createGpt(modelmart, toolServer.origin);
    for (let index = 0; index < warmup; index += 1) {
      await gptAnswer(modelmart);
      await directAnswer(modelmart, toolServer.origin);
    }
    const gpt = [];
    const direct = [];
    const addedPerStep = [];
    for (let index = 0; index < iterations; index += 1) {
      // Alternate which goes first, so neither always runs on a warmer process.
      let gptMilliseconds;
      let directMilliseconds;
      if (index % 2 === 0) {
        gptMilliseconds = await gptAnswer(modelmart);
        directMilliseconds = await directAnswer(modelmart, toolServer.origin);
      } else {
        directMilliseconds = await directAnswer(modelmart, toolServer.origin);
        gptMilliseconds = await gptAnswer(modelmart);
      }
      gpt.push(gptMilliseconds);
      direct.push(directMilliseconds);
      addedPerStep.push((gptMilliseconds - directMilliseconds) / steps);
    }
    const sorted = (values) => [...values].sort((left, right) => left - right);
    const summary = {
      steps,
      iterations,
      gptMedian: median(gpt),
      gptP95: percentile(sorted(gpt), 0.95),
      directMedian: median(direct),
      directP95: percentile(sorted(direct), 0.95),
      addedPerStepMedian: median(addedPerStep),
      // The tail the runner adds: the two latency distributions' 95th percentiles apart, per step.
      addedPerStepP95: (percentile(sorted(gpt), 0.95) - percentile(sorted(direct), 0.95)) / steps,
      // The 95th percentile of the paired differences: mostly the noise of two samples, shown for completeness.
      pairedDifferenceP95: percentile(sorted(addedPerStep), 0.95),
    };
    const pass = summary.addedPerStepMedian < targetMilliseconds && summary.addedPerStepP95 < targetMilliseconds;
    const figure = (value) => value.toFixed(2);
    log(`GPT answer (${steps} model calls, ${steps - 1} tool calls): median ${figure(summary.gptMedian)} ms, p95 ${figure(summary.gptP95)} ms`);
    log(`Client doing the same calls itself: median ${figure(summary.directMedian)} ms, p95 ${figure(summary.directP95)} ms`);
    log(`Runner adds per step: median ${figure(summary.addedPerStepMedian)} ms, p95 ${figure(summary.addedPerStepP95)} ms — ${pass ? 'PASS' : 'FAIL'} (target < ${targetMilliseconds} ms); p95 of the paired differences ${figure(summary.pairedDifferenceP95)} ms`);
    const lines = [
      '# GPT runner overhead',
      '',
      `- Date: ${new Date().toISOString()}; Modelmart built from ${commitOf()}; Node ${process.version}, ${os.cpus().length} cores, load average at end ${os.loadavg().map((value) => value.toFixed(2)).join(' ')}`,
      `- Command: \`node bench/gpts/runner-overhead.mjs --steps ${steps} --iterations ${iterations} --warmup ${warmup}\``,
      `- Work: one GPT answer of ${steps} model calls and ${steps - 1} tool calls (an OpenAPI action on a local server, through the SSRF-safe client) against the client making the same ${steps} chat calls through the same Modelmart and the same ${steps - 1} tool calls itself, taking turns, one at a time; the upstream and the tool answer at once. Metering on (auth, limits, reservations, the ledger: one row per model call either way).`,
      '- Added per step: median = the median over pairs of (GPT answer − client-side answer) / model calls; p95 = (p95 of GPT answers − p95 of client-side answers) / model calls, the tail the runner adds. The client side pays one HTTP round trip to Modelmart per step and to the tool per tool call, which the runner makes in process or from the server, so these are the runner\'s cost net of those round trips. The p95 of the paired differences (mostly the noise of two independent samples on a shared machine) is shown too.',
      '',
      '| measure | median ms | p95 ms |',
      '|---|---:|---:|',
      `| GPT answer (${steps} steps) | ${figure(summary.gptMedian)} | ${figure(summary.gptP95)} |`,
      `| client-side answer (${steps} chat calls + ${steps - 1} tool calls) | ${figure(summary.directMedian)} | ${figure(summary.directP95)} |`,
      `| runner adds per step | ${figure(summary.addedPerStepMedian)} | ${figure(summary.addedPerStepP95)} |`,
      `| paired difference per step (noise included) | ${figure(summary.addedPerStepMedian)} | ${figure(summary.pairedDifferenceP95)} |`,
      '',
      `Target: the runner adds under ${targetMilliseconds} ms per step beyond the upstream and tool time — ${pass ? 'PASS' : 'FAIL'}.`,
      '',
    ];
    const resultsFolder = path.join(projectRoot, 'bench', 'results');
    mkdirSync(resultsFolder, { recursive: true });
    writeFileSync(path.join(resultsFolder, 'gpts.md'), lines.join('\n'));
    writeFileSync(path.join(resultsFolder, 'gpts.json'), `${JSON.stringify({ date: new Date().toISOString(), ...summary, targetMilliseconds, pass }, null, 2)}\n`);
    if (!pass) process.exitCode = 1;
  } finally {
    await group.cleanUp();
    upstream.server.close();
    toolServer.server.close();
    await dispatcher.close();
  }
}

main().catch(async (error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  await group.cleanUp();
  process.exit(1);
});
