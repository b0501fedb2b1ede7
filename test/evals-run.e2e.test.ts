// `modelmart eval run | worker | export` as a user runs them, against a local instant upstream:
// scores, a run killed mid-way and resumed, the cache, empty answers, the progress bar, the
// measured score on the card and on /store/v1/leaderboard beside the published Grok-1 table,
// the admin API, two workers on PostgreSQL, and the embedded tiny model end to end.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readGsm8k } from '../src/evals/benchmarks/gsm8k-benchmark.js';
import { cliPath, runCommand, startServerProcess } from './support/cli-process.js';
import { startUpstreamStub, type StubBehaviour, type UpstreamStub } from './support/openai-upstream-stub.js';
import { hasSharedDatasets, noticeIfNoDatasets, sharedDatasetsPath } from './support/shared-datasets.js';
import { createScratchPostgresDatabase, postgresTestUrl, temporaryFolder } from './support/test-databases.js';
import { writeTinyGguf } from './support/tiny-gguf-writer.js';

noticeIfNoDatasets('eval run e2e');

interface RunJson {
  id: string;
  status: string;
  progress: { total: number; done: number; failed: number };
  running_score: { correct: number; scored: number };
  catalog_model_id: string | null;
  metrics: { n: number; metrics: Record<string, number>; invalid?: number } | null;
}

describe.skipIf(!hasSharedDatasets)('modelmart eval run through the gateway', () => {
  const folder = temporaryFolder('modelmart-eval-run-e2e-');
  const data = join(folder.path, 'data');
  const configPath = join(folder.path, 'modelmart.yaml');
  let stub: UpstreamStub;
  let questions: Map<string, { index: number; answer: string }>;

  /** Items 0, 3, 6… answered right; 5, 10, 20… empty; the rest wrong. */
  function responder(body: Record<string, unknown>): StubBehaviour {
    const messages = body.messages as { content: string }[];
    const question = (messages.at(-1)?.content ?? '').replace(/^Question: /, '').replace(/\nAnswer:$/, '');
    const item = questions.get(question);
    if (item === undefined) return { kind: 'answer', text: 'no idea' };
    if (item.index % 3 === 0) return { kind: 'answer', text: `${item.answer}\n\nQuestion: and then?` };
    if (item.index % 5 === 0) return { kind: 'answer', text: '' };
    return { kind: 'answer', text: 'The answer is #### 999999' };
  }
  const expectedCorrect = (count: number) => Array.from({ length: count }, (_, index) => index).filter((index) => index % 3 === 0).length;
  const expectedEmpty = (count: number) => Array.from({ length: count }, (_, index) => index).filter((index) => index % 3 !== 0 && index % 5 === 0).length;
  const chatCalls = () => stub.received.filter((request) => request.path.endsWith('/chat/completions')).length;
  const common = () => ['--config', configPath, '--data', data, '--data-dir', sharedDatasetsPath];

  beforeAll(async () => {
    questions = new Map(readGsm8k({ dataDirectory: sharedDatasetsPath }, 'test').map((item, index) => [item.question, { index, answer: item.answer }]));
    stub = await startUpstreamStub();
    stub.setResponder(responder);
    writeFileSync(
      configPath,
      [
        'providers:',
        '  - id: stub',
        '    type: openai-compatible',
        `    baseUrl: ${stub.baseUrl}`,
        '    models: [m]',
        'routes:',
        '  - model: grok-1',
        '    strategy: fallback',
        '    targets:',
        '      - { provider: stub, model: m }',
        '',
      ].join('\n'),
    );
  });

  afterAll(async () => {
    await stub.close();
    folder.remove();
  });

  it('runs gsm8k, scores it, counts empty answers as [invalid], shows a progress bar and records the card', async () => {
    const before = chatCalls();
    const result = await runCommand(['eval', 'run', '--benchmark', 'gsm8k', '--model', 'grok-1', '--limit', '40', '--concurrency', '4', '--json', ...common()]);
    expect(result.stderr).toMatch(/estimated cost/);
    expect(result.stderr).toMatch(/gsm8k .*40\/40 \| [\d.]+ items\/s \| ETA .* \| score [\d.]+% \| spend /);
    expect(result.code).toBe(0);
    const run = JSON.parse(result.stdout) as RunJson;
    expect(chatCalls() - before).toBe(40);
    expect(run.status).toBe('completed');
    expect(run.metrics?.metrics['strict_match']).toBeCloseTo(expectedCorrect(40) / 40, 10);
    expect(run.metrics?.invalid).toBe(expectedEmpty(40));
    expect(run.catalog_model_id).toBe('grok-1');
    const card = await runCommand(['models', 'show', 'grok-1', '--json', '--config', configPath, '--data', data]);
    const benchmarks = (JSON.parse(card.stdout) as { benchmarks: { benchmark: string; score: number; source: { kind: string; evaluation_run_id?: string } }[] }).benchmarks;
    expect(benchmarks.find((entry) => entry.source.kind === 'measured')).toMatchObject({ benchmark: 'gsm8k', score: Math.round((expectedCorrect(40) / 40) * 10_000) / 100, source: { evaluation_run_id: run.id } });
    // Metered like API calls: one ledger row a call, under the "evaluations" key of the default organisation.
    const usage = await runCommand(['usage', '--group-by', 'key', '--from', '2000-01-01', '--to', '2100-01-01', '--json', '--config', configPath, '--data', data]);
    expect(usage.code, usage.stderr).toBe(0);
    expect(JSON.stringify(JSON.parse(usage.stdout))).toMatch(/"evaluations"/);
  }, 60_000);

  it('answers the same run again from the cache, with no upstream call', async () => {
    const before = chatCalls();
    const result = await runCommand(['eval', 'run', '--benchmark', 'gsm8k', '--model', 'grok-1', '--limit', '40', '--json', '--quiet', ...common()]);
    expect(result.code).toBe(0);
    expect(chatCalls()).toBe(before);
    expect((JSON.parse(result.stdout) as RunJson).metrics?.metrics['strict_match']).toBeCloseTo(expectedCorrect(40) / 40, 10);
  }, 60_000);

  it('resumes a run killed mid-way: only the items without a stored answer are called', async () => {
    stub.setResponder((body) => ({ ...responder(body), delayMilliseconds: 40 }));
    const before = chatCalls();
    const child = spawn(process.execPath, [cliPath, 'eval', 'run', '--benchmark', 'gsm8k', '--model', 'grok-1', '--limit', '60', '--seed', '5', '--concurrency', '2', ...common()], {
      env: { ...process.env, MODELMART_LOG_LEVEL: 'warn' },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise((resolve) => child.on('close', resolve));
    while (chatCalls() - before < 20) await new Promise((resolve) => setTimeout(resolve, 10));
    child.kill('SIGKILL');
    await exited;
    const runId = /run (evalrun_[\w-]+)/.exec(stderr)?.[1];
    expect(runId).toBeDefined();
    stub.setResponder(responder);
    const killedAt = chatCalls() - before;
    const resumed = await runCommand(['eval', 'run', '--run-id', runId ?? '', '--json', '--quiet', ...common()]);
    expect(resumed.code).toBe(0);
    const answeredBefore = Number(/(\d+) of 60 items already answered/.exec(resumed.stderr)?.[1]);
    expect(answeredBefore).toBeGreaterThan(0);
    expect(answeredBefore).toBeLessThan(60);
    expect(chatCalls() - before - killedAt).toBe(60 - answeredBefore);
    const run = JSON.parse(resumed.stdout) as RunJson;
    expect(run).toMatchObject({ id: runId, status: 'completed', progress: { total: 60, done: 60, failed: 0 } });
    expect(run.metrics?.metrics['strict_match']).toBeCloseTo(expectedCorrect(60) / 60, 10);
  }, 60_000);

  it('fails cleanly on an unknown benchmark or model', async () => {
    const benchmark = await runCommand(['eval', 'run', '--benchmark', 'hellaswag', '--model', 'grok-1', ...common()]);
    expect(benchmark.code).toBe(1);
    expect(benchmark.stderr).toMatch(/unknown benchmark "hellaswag"/);
    const model = await runCommand(['eval', 'run', '--benchmark', 'gsm8k', '--model', 'nobody/none', ...common()]);
    expect(model.code).toBe(1);
    expect(model.stderr).toMatch(/nobody\/none/);
  }, 30_000);

  it('exports the measured results as Hugging Face model-index YAML', async () => {
    const result = await runCommand(['eval', 'export', '--model', 'grok-1', '--source-url', 'https://models.example.com', '--config', configPath, '--data', data]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^---\nmodel-index:\n {2}- name: grok-1\n {4}results:\n/);
    expect(result.stdout).toContain('type: text-generation');
    expect(result.stdout).toMatch(/dataset:\n {10}name: GSM8K\n {10}type: gsm8k/);
    expect(result.stdout).toMatch(/- type: strict_match\n {12}value: [\d.]+/);
    expect(result.stdout).toMatch(/url: https:\/\/models\.example\.com\/admin\/v1\/evaluations\/evalrun_/);
  }, 30_000);

  it('shows the measured score beside the published Grok table on /store/v1/leaderboard; the admin API runs and follows runs', async () => {
    const adminKey = 'mm-eval-e2e-admin-key-0000000000';
    const server = await startServerProcess(['--config', configPath, '--data', data], { MODELMART_ADMIN_KEY: adminKey });
    try {
      const board = await fetch(`${server.url}/store/v1/leaderboard?benchmarks=gsm8k,mmlu&sort=gsm8k&limit=100`);
      expect(board.status).toBe(200);
      const page = (await board.json()) as { data: { model: { id: string }; scores: Record<string, { measured: { score: number } | null; published: { score: number } | null }> }[] };
      const grok = page.data.find((row) => row.model.id === 'grok-1');
      expect(grok?.scores['gsm8k']?.published?.score).toBe(62.9);
      expect(grok?.scores['gsm8k']?.measured?.score).toBe(Math.round((expectedCorrect(60) / 60) * 10_000) / 100);
      expect(grok?.scores['mmlu']).toMatchObject({ measured: null, published: { score: 73 } });
      for (const id of ['gpt-4', 'claude-2', 'palm-2', 'llama-2-70b']) expect(page.data.some((row) => row.model.id === id)).toBe(true);
      const unknown = await fetch(`${server.url}/store/v1/leaderboard?benchmarks=gsm8k,hellaswag`);
      expect(unknown.status).toBe(400);
      expect(((await unknown.json()) as { error: { message: string; param: string } }).error).toMatchObject({ param: 'benchmarks', message: expect.stringContaining("'hellaswag'") });
      const open = (await (await fetch(`${server.url}/store/v1/leaderboard?benchmarks=gsm8k&open_weights=true&limit=100`)).json()) as { data: { model: { open_weights: boolean } }[] };
      expect(open.data.length).toBeGreaterThan(0);
      expect(open.data.every((row) => row.model.open_weights)).toBe(true);

      const headers = { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' };
      const started = await fetch(`${server.url}/admin/v1/evaluations`, { method: 'POST', headers, body: JSON.stringify({ benchmark: 'gsm8k', model: 'grok-1', limit: 12, seed: 77, concurrency: 4, data_directory: sharedDatasetsPath }) });
      expect(started.status).toBe(202);
      const run = (await started.json()) as RunJson & { estimate: { items: number } };
      expect(run.estimate.items).toBe(12);
      let view: RunJson = run;
      for (let tries = 0; tries < 200 && view.status !== 'completed'; tries += 1) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        view = (await (await fetch(`${server.url}/admin/v1/evaluations/${run.id}`, { headers })).json()) as RunJson;
      }
      expect(view).toMatchObject({ status: 'completed', progress: { done: 12, total: 12 } });
      expect(view.running_score.correct).toBe(expectedCorrect(12));
      const list = (await (await fetch(`${server.url}/admin/v1/evaluations?model=grok-1`, { headers })).json()) as { data: RunJson[] };
      expect(list.data.some((entry) => entry.id === run.id)).toBe(true);
      const cancel = await fetch(`${server.url}/admin/v1/evaluations/${run.id}/cancel`, { method: 'POST', headers: { authorization: headers.authorization } });
      expect(cancel.status).toBe(409);
      expect((await fetch(`${server.url}/admin/v1/evaluations/evalrun_missing`, { headers })).status).toBe(404);
    } finally {
      await server.stop();
    }
  }, 90_000);
});

const postgresUrl = postgresTestUrl();
describe.skipIf(!hasSharedDatasets || postgresUrl === undefined)('modelmart eval worker on PostgreSQL', () => {
  it('two workers in parallel finish one run; every item is answered exactly once', async () => {
    const scratch = await createScratchPostgresDatabase(postgresUrl ?? '');
    const folder = temporaryFolder('modelmart-eval-worker-e2e-');
    const stub = await startUpstreamStub({ kind: 'answer', text: '#### 1', delayMilliseconds: 5 });
    try {
      const configPath = join(folder.path, 'modelmart.yaml');
      writeFileSync(configPath, `providers:\n  - id: stub\n    type: openai-compatible\n    baseUrl: ${stub.baseUrl}\n    models: [m]\n`);
      const database = ['--config', configPath, '--database-url', scratch.url, '--data', folder.path];
      const created = await runCommand(['eval', 'run', '--benchmark', 'gsm8k', '--model', 'stub/m', '--limit', '200', '--enqueue', '--data-dir', sharedDatasetsPath, ...database]);
      expect(created.code).toBe(0);
      const runId = created.stdout.trim();
      const workers = await Promise.all([0, 1].map(() => runCommand(['eval', 'worker', '--run', runId, '--concurrency', '8', ...database])));
      for (const worker of workers) expect(worker.code).toBe(0);
      expect(stub.received.length).toBe(200);
      const pg = await import('pg');
      const client = new pg.default.Client({ connectionString: scratch.url });
      await client.connect();
      try {
        const items = await client.query<{ status: string; attempts: string; claimed_by: string }>('select status, attempts, claimed_by from evaluation_items where run_id = $1', [runId]);
        expect(items.rows).toHaveLength(200);
        expect(items.rows.every((row) => row.status === 'done' && Number(row.attempts) === 1)).toBe(true);
        expect(new Set(items.rows.map((row) => row.claimed_by)).size).toBe(2);
        const run = await client.query<{ status: string; metrics: string }>('select status, metrics from evaluation_runs where id = $1', [runId]);
        expect(run.rows[0]?.status).toBe('completed');
      } finally {
        await client.end();
      }
    } finally {
      await stub.close();
      folder.remove();
      await scratch.drop();
    }
  }, 90_000);
});

describe.skipIf(!hasSharedDatasets)('modelmart eval run on the embedded tiny model', () => {
  it('completes end to end with --limit 3: garbage answers are scored wrong, never a crash', async () => {
    const folder = temporaryFolder('modelmart-eval-tiny-');
    try {
      const modelPath = join(folder.path, 'tiny.gguf');
      await writeTinyGguf(modelPath, { contextLength: 4096 });
      const configPath = join(folder.path, 'modelmart.yaml');
      writeFileSync(configPath, `providers:\n  - id: local\n    type: llama-cpp\n    threads: 1\n    models:\n      - { name: tiny, file: ${JSON.stringify(modelPath)}, contextWindow: 4096 }\n`);
      // A card for the embedded model, so its measured score has a place in the store.
      const cardPath = join(folder.path, 'tiny-card.json');
      writeFileSync(
        cardPath,
        JSON.stringify({
          id: 'tiny-test-model',
          name: 'Tiny test model',
          vendor: 'Modelmart tests',
          release_date: '2026-01-01',
          description: 'Random weights written by the test suite.',
          capability: { context_window: 4096, input_modalities: ['text'], output_modalities: ['text'] },
          openness: {},
          license: { id: 'MIT' },
          deployments: [{ kind: 'private', provider: 'local', model: 'tiny' }],
        }),
      );
      const imported = await runCommand(['models', 'import', cardPath, '--config', configPath, '--data', folder.path]);
      expect(imported.code, imported.stderr).toBe(0);
      const result = await runCommand(['eval', 'run', '--benchmark', 'gsm8k', '--model', 'local/tiny', '--limit', '3', '--max-tokens', '8', '--json', '--config', configPath, '--data', folder.path, '--data-dir', sharedDatasetsPath]);
      expect(result.stderr).toMatch(/gsm8k .*3\/3 \| [\d.]+ items\/s \| ETA .* \| score [\d.]+%/);
      expect(result.code).toBe(0);
      const run = JSON.parse(result.stdout) as RunJson;
      expect(run).toMatchObject({ status: 'completed', catalog_model_id: 'tiny-test-model', progress: { total: 3, done: 3, failed: 0 } });
      expect(run.metrics?.metrics['strict_match']).toBe(0);
      expect(run.metrics?.invalid).toBe(3);
      // On the leaderboard: measured for the tiny model, beside the published Grok-1 table.
      const server = await startServerProcess(['--config', configPath, '--data', folder.path], { MODELMART_ADMIN_KEY: 'mm-eval-e2e-tiny-admin-key-00000000' });
      try {
        const board = await fetch(`${server.url}/store/v1/leaderboard?benchmarks=gsm8k&limit=100`);
        expect(board.status).toBe(200);
        const page = (await board.json()) as { data: { model: { id: string }; scores: Record<string, { measured: { score: number } | null; published: { score: number } | null }> }[] };
        expect(page.data.find((row) => row.model.id === 'tiny-test-model')?.scores['gsm8k']?.measured?.score).toBe(0);
        expect(page.data.find((row) => row.model.id === 'grok-1')?.scores['gsm8k']?.published?.score).toBe(62.9);
      } finally {
        await server.stop();
      }
    } finally {
      folder.remove();
    }
  }, 120_000);
});
