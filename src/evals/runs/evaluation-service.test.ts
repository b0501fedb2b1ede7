// Evaluation runs through the real router against a local upstream stub, on SQLite and PostgreSQL:
// scoring, the response cache, resuming, transient failures, empty answers, two workers on one
// run, the measured result on the model's card, and HumanEval samples scored in the sandbox.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUpstreamStub, type StubBehaviour, type UpstreamStub } from '../../../test/support/openai-upstream-stub.js';
import { hasSharedDatasets, sharedDatasetsPath } from '../../../test/support/shared-datasets.js';
import { sqliteTarget, temporaryFolder, testDatabaseTargets } from '../../../test/support/test-databases.js';
import { CatalogService } from '../../catalog/index.js';
import { configSchema } from '../../config/index.js';
import { createProviderRegistry } from '../../providers/registry.js';
import { createRouter } from '../../routing/index.js';
import { openDatabase, type Database } from '../../storage/index.js';
import { readHumanEval } from '../benchmarks/humaneval-benchmark.js';
import { namespacesAvailable } from '../sandbox/python-sandbox.js';
import { routerGateway } from './evaluation-gateway.js';
import { EvaluationBackgroundRunner } from './evaluation-background-runner.js';
import { EvaluationRepository } from './evaluation-repository.js';
import { EvaluationService, type EvaluationServiceOptions } from './evaluation-service.js';

const itemCount = 30;
const folder = temporaryFolder('modelmart-eval-runs-');
const dataDirectory = folder.path;
const answers = Array.from({ length: itemCount }, (_, index) => 10 + index * 7);

beforeAll(() => {
  mkdirSync(join(dataDirectory, 'gsm8k'), { recursive: true });
  const line = (index: number) => JSON.stringify({ question: `Question number ${index}: what is ${answers[index] ?? 0} plus zero?`, answer: `It is ${answers[index] ?? 0}.\n#### ${answers[index] ?? 0}` });
  writeFileSync(join(dataDirectory, 'gsm8k/test.jsonl'), `${Array.from({ length: itemCount }, (_, index) => line(index)).join('\n')}\n`);
  writeFileSync(join(dataDirectory, 'gsm8k/train.jsonl'), `${Array.from({ length: 5 }, (_, index) => JSON.stringify({ question: `Shot ${index}?`, answer: `#### ${index}` })).join('\n')}\n`);
});
afterAll(() => folder.remove());

/** Items whose index is a multiple of 3 are answered right, multiples of 5 (not 3) get empty text, the rest wrong. */
function gsm8kResponder(body: Record<string, unknown>): StubBehaviour {
  const messages = body.messages as { content: string }[];
  const match = /Question number (\d+):/.exec(messages[messages.length - 1]?.content ?? '');
  const index = Number(match?.[1] ?? -1);
  if (index % 3 === 0) return { kind: 'answer', text: `Adding zero changes nothing.\n#### ${answers[index] ?? 0}\n\nQuestion: next` };
  if (index % 5 === 0) return { kind: 'answer', text: '' };
  return { kind: 'answer', text: 'I think it is #### 1' };
}
const expectedCorrect = answers.filter((_, index) => index % 3 === 0).length;
const expectedEmpty = answers.filter((_, index) => index % 3 !== 0 && index % 5 === 0).length;

function chatCalls(stub: UpstreamStub): number {
  return stub.received.filter((request) => request.path.endsWith('/chat/completions')).length;
}

describe.each(testDatabaseTargets())('evaluation runs on $name', (target) => {
  let stub: UpstreamStub;
  let database: Database;
  let options: { dataDir: string; databaseUrl?: string };
  let dispose: () => Promise<void>;
  let catalog: CatalogService;
  const closers: (() => Promise<void>)[] = [];

  function service(onDatabase: Database = database, extra: Pick<EvaluationServiceOptions, 'leaseMilliseconds'> = {}): EvaluationService {
    const config = configSchema.parse({
      providers: [{ id: 'stub', type: 'openai-compatible', baseUrl: stub.baseUrl, models: ['m'] }],
      routes: [{ model: 'grok-1', strategy: 'fallback', targets: [{ provider: 'stub', model: 'm' }] }],
      storage: options,
    });
    const providers = createProviderRegistry(config.providers, { dataDir: options.dataDir });
    closers.push(() => providers.close());
    const router = createRouter({ config, getAdapter: (id) => providers.get(id), settings: { maxRetriesPerTarget: 0, failureThreshold: 1000 } });
    return new EvaluationService({ database: onDatabase, gateway: routerGateway(router), catalog: new CatalogService(onDatabase), datasetChecksums: {}, ...extra });
  }

  beforeAll(async () => {
    stub = await startUpstreamStub();
    stub.setResponder(gsm8kResponder);
    const opened = await target.open();
    database = opened.database;
    options = opened.options;
    dispose = opened.dispose;
    catalog = new CatalogService(database);
    await catalog.seedCuratedCards();
  });

  afterAll(async () => {
    for (const close of closers) await close();
    await stub.close();
    await dispose();
  });

  it('runs, scores as the offline scorer does, counts empty answers as invalid, and records the card result', async () => {
    const evaluations = service();
    const before = chatCalls(stub);
    const { run, estimate } = await evaluations.createRun({ benchmark: 'gsm8k', model: 'grok-1', data_directory: dataDirectory });
    expect(estimate.items).toBe(itemCount);
    expect(estimate.promptTokens).toBeGreaterThan(itemCount * 10);
    expect(run.catalog_model_id).toBe('grok-1');
    const finished = await evaluations.work(run.id, { concurrency: 4 });
    expect(chatCalls(stub) - before).toBe(itemCount);
    expect(finished.status).toBe('completed');
    expect(finished.progress).toMatchObject({ total: itemCount, done: itemCount, failed: 0, pending: 0 });
    expect(finished.metrics?.metrics['strict_match']).toBeCloseTo(expectedCorrect / itemCount, 10);
    expect(finished.running_score).toMatchObject({ correct: expectedCorrect, scored: itemCount });
    expect(finished.metrics?.invalid).toBe(expectedEmpty);
    const sent = stub.received.at(-1)?.body;
    expect(sent).toMatchObject({ temperature: 0, max_tokens: 256, stop: ['Question:', '</s>', '<|im_end|>'] });
    expect((sent?.messages as unknown[]).length).toBe(11);
    const card = await catalog.get('grok-1');
    const measured = card.benchmarks.find((result) => result.source.kind === 'measured');
    expect(measured).toMatchObject({ benchmark: 'gsm8k', score: Math.round((expectedCorrect / itemCount) * 10_000) / 100, source: { evaluation_run_id: run.id } });
    expect(card.benchmarks.find((result) => result.source.kind === 'published' && result.benchmark === 'gsm8k')?.score).toBe(62.9);
  });

  it('answers a second run of the same thing from the cache, with no upstream call', async () => {
    const evaluations = service();
    const before = chatCalls(stub);
    const { run } = await evaluations.createRun({ benchmark: 'gsm8k', model: 'grok-1', data_directory: dataDirectory });
    const finished = await evaluations.work(run.id, { concurrency: 8 });
    expect(chatCalls(stub)).toBe(before);
    expect(finished.metrics?.metrics['strict_match']).toBeCloseTo(expectedCorrect / itemCount, 10);
  });

  it('resumes an interrupted run, calling only the items without an answer', async () => {
    const evaluations = service();
    const before = chatCalls(stub);
    const { run } = await evaluations.createRun({ benchmark: 'gsm8k', model: 'grok-1', data_directory: dataDirectory, seed: 99 });
    const controller = new AbortController();
    let answered = 0;
    const interrupted = await evaluations.work(run.id, {
      concurrency: 2,
      signal: controller.signal,
      onItem: () => {
        answered += 1;
        if (answered === 10) controller.abort();
      },
    });
    expect(interrupted.status).toBe('running');
    expect(interrupted.progress.claimed).toBe(0);
    const firstCalls = chatCalls(stub) - before;
    expect(interrupted.progress.done).toBeGreaterThanOrEqual(10);
    await evaluations.resume(run.id);
    const finished = await evaluations.work(run.id, { concurrency: 4 });
    expect(finished.status).toBe('completed');
    // Calls aborted in flight are made again, nothing answered is.
    const total = chatCalls(stub) - before;
    expect(total - firstCalls).toBe(itemCount - interrupted.progress.done);
    expect(finished.metrics?.metrics['strict_match']).toBeCloseTo(expectedCorrect / itemCount, 10);
  });

  it('a server that starts takes up the background runs a stopped server left running', async () => {
    const evaluations = service();
    // A seed of its own keeps this run's answers out of the other tests' response cache; slow answers let it stop mid-way.
    stub.setResponder((body) => ({ ...gsm8kResponder(body), delayMilliseconds: 40 }));
    try {
      const { run } = await evaluations.createRun({ benchmark: 'gsm8k', model: 'grok-1', data_directory: dataDirectory, seed: 31337 });
      const stopping = new EvaluationBackgroundRunner(evaluations);
      stopping.enqueue(run.id, 2);
      await expect.poll(async () => (await evaluations.get(run.id)).progress.done, { timeout: 20_000, interval: 20 }).toBeGreaterThanOrEqual(4);
      await stopping.stop();
      const stopped = await evaluations.get(run.id);
      expect(stopped.status).toBe('running');
      expect(stopped.progress.done).toBeLessThan(itemCount);

      const starting = new EvaluationBackgroundRunner(service());
      expect(await starting.resumeUnfinished(4)).toContain(run.id);
      await expect.poll(async () => (await evaluations.get(run.id)).status, { timeout: 30_000 }).toBe('completed');
      expect((await evaluations.get(run.id)).progress.done).toBe(itemCount);
      await starting.stop();
    } finally {
      stub.setResponder(gsm8kResponder);
    }
  });

  it('finishes a background run whose items a crashed server had claimed, once their lease runs out', async () => {
    const evaluations = service(database, { leaseMilliseconds: 400 });
    const { run } = await evaluations.createRun({ benchmark: 'gsm8k', model: 'grok-1', data_directory: dataDirectory, seed: 2718 });
    // A server claims three items and dies without answering or handing them back.
    const now = new Date();
    const stranded = await new EvaluationRepository(database).claimItems(run.id, 'crashed-server', 3, now.toISOString(), new Date(now.getTime() - 400).toISOString());
    expect(stranded).toHaveLength(3);
    const runner = new EvaluationBackgroundRunner(evaluations, { retryMilliseconds: 100 });
    runner.enqueue(run.id, 4);
    await expect.poll(async () => (await evaluations.get(run.id)).status, { timeout: 20_000 }).toBe('completed');
    expect((await evaluations.get(run.id)).progress.done).toBe(itemCount);
    await runner.stop();
  });

  it('retries transient upstream failures per item and fails an item only after bounded tries', async () => {
    const evaluations = service();
    const failures = new Map<number, number>();
    stub.setResponder((body) => {
      const content = (body.messages as { content: string }[]).at(-1)?.content ?? '';
      const index = Number(/Question number (\d+):/.exec(content)?.[1] ?? -1);
      if (index === 4) return { kind: 'error', status: 400, message: 'bad request for good' };
      const seen = failures.get(index) ?? 0;
      failures.set(index, seen + 1);
      return seen === 0 && index % 2 === 0 ? { kind: 'error', status: 503 } : gsm8kResponder(body);
    });
    try {
      const { run } = await evaluations.createRun({ benchmark: 'gsm8k', model: 'grok-1', data_directory: dataDirectory, seed: 7, limit: 10 });
      const finished = await evaluations.work(run.id, { concurrency: 3 });
      expect(finished.status).toBe('completed');
      expect(finished.progress).toMatchObject({ done: 9, failed: 1 });
    } finally {
      stub.setResponder(gsm8kResponder);
    }
  });

  it('sends completion models the plain prompt through the legacy completions API', async () => {
    const evaluations = service();
    const before = stub.received.length;
    const { run } = await evaluations.createRun({ benchmark: 'gsm8k', model: 'grok-1', api: 'completion', limit: 6, data_directory: dataDirectory });
    stub.setResponder((body) => gsm8kResponder({ messages: [{ content: String(body.prompt).split('\n\n').at(-1) }] }));
    try {
      const finished = await evaluations.work(run.id, { concurrency: 2 });
      const sent = stub.received.slice(before);
      expect(sent).toHaveLength(6);
      expect(sent.every((request) => request.path.endsWith('/v1/completions') && typeof request.body.prompt === 'string' && request.body.messages === undefined)).toBe(true);
      expect(finished.running_score).toMatchObject({ correct: 2, scored: 6 });
    } finally {
      stub.setResponder(gsm8kResponder);
    }
  });

  it('lets two workers with their own connections finish one run, every item answered exactly once', async () => {
    const second = await openDatabase({ dataDir: options.dataDir, ...(options.databaseUrl === undefined ? {} : { databaseUrl: options.databaseUrl }), poolSize: 4 });
    closers.push(() => second.close());
    const creator = service();
    const { run } = await creator.createRun({ benchmark: 'gsm8k', model: 'grok-1', data_directory: dataDirectory, seed: 4242 });
    const before = chatCalls(stub);
    const [first, other] = await Promise.all([creator.work(run.id, { concurrency: 4, workerId: 'worker-a' }), service(second).work(run.id, { concurrency: 4, workerId: 'worker-b' })]);
    expect(chatCalls(stub) - before).toBe(itemCount);
    const final = await creator.get(run.id);
    expect(final.status).toBe('completed');
    expect([first.status, other.status]).toContain('completed');
    const rows = await database.kysely.selectFrom('evaluation_items').select(['claimed_by', 'attempts']).where('run_id', '=', run.id).execute();
    expect(rows.every((row) => Number(row.attempts) === 1)).toBe(true);
    expect(new Set(rows.map((row) => row.claimed_by)).size).toBe(2);
  });

  it('refuses an unknown model, an unknown benchmark and a completed run to resume', async () => {
    const evaluations = service();
    await expect(evaluations.createRun({ benchmark: 'gsm8k', model: 'nobody/none', data_directory: dataDirectory })).rejects.toMatchObject({ status: 404 });
    await expect(evaluations.createRun({ benchmark: 'hellaswag' as 'gsm8k', model: 'grok-1', data_directory: dataDirectory })).rejects.toThrow(/unknown benchmark "hellaswag"/);
    const [completed] = await evaluations.list({ status: 'completed', limit: 1 });
    await expect(evaluations.resume(completed?.id ?? '')).rejects.toMatchObject({ status: 409 });
  });
});

describe.skipIf(!hasSharedDatasets || !namespacesAvailable())('a HumanEval run with samples, scored in the sandbox', () => {
  it('gives pass@1 = 1 for canonical solutions sent back as completions, two samples each at temperature 0.8', async () => {
    const problems = new Map(readHumanEval({ dataDirectory: sharedDatasetsPath }).map((problem) => [problem.prompt, problem.canonical_solution]));
    const stub = await startUpstreamStub();
    const opened = await sqliteTarget.open();
    try {
      stub.setResponder((body) => {
        const content = (body.messages as { content: string }[]).at(-1)?.content ?? '';
        return { kind: 'answer', text: problems.get(content) ?? 'pass' };
      });
      const config = configSchema.parse({ providers: [{ id: 'stub', type: 'openai-compatible', baseUrl: stub.baseUrl, models: ['m'] }], storage: opened.options });
      const providers = createProviderRegistry(config.providers, { dataDir: opened.options.dataDir });
      const router = createRouter({ config, getAdapter: (id) => providers.get(id) });
      const evaluations = new EvaluationService({ database: opened.database, gateway: routerGateway(router) });
      const { run } = await evaluations.createRun({ benchmark: 'humaneval', model: 'stub/m', limit: 3, samples: 2, data_directory: sharedDatasetsPath });
      expect(stub.received).toHaveLength(0);
      const finished = await evaluations.work(run.id, { concurrency: 3 });
      await providers.close();
      expect(stub.received).toHaveLength(6);
      expect(stub.received[0]?.body).toMatchObject({ temperature: 0.8, max_tokens: 512, stop: ['\nclass', '\ndef', '\n#', '\nif'] });
      expect(new Set(stub.received.map((request) => request.body.seed))).toEqual(new Set([1234, 1235]));
      expect(finished.status).toBe('completed');
      expect(finished.metrics).toMatchObject({ n: 3, samples: 6, metrics: { 'pass@1': 1 } });
    } finally {
      await stub.close();
      await opened.dispose();
    }
  }, 60_000);
});
