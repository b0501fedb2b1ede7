// The evaluation endpoints the web app reads, on SQLite and PostgreSQL: a run's progress as
// Server-Sent Events until it finishes, its items page by page, and runs page by page.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUpstreamStub, type StubBehaviour, type UpstreamStub } from '../../../test/support/openai-upstream-stub.js';
import { sqliteTarget, temporaryFolder, testDatabaseTargets } from '../../../test/support/test-databases.js';
import { startTestServer, type TestServer } from '../../../test/support/test-server.js';

interface RunJson {
  id: string;
  status: string;
  progress: { total: number; done: number };
  running_score: { correct: number; scored: number };
}
interface PageJson<T> {
  object: string;
  data: T[];
  has_more: boolean;
  next_cursor: string | null;
}
interface ItemJson {
  position: number;
  item_id: string;
  status: string;
  question: string;
  expected: string | null;
  answer: string | null;
  correct: boolean | null;
}

const itemCount = 8;
const folder = temporaryFolder('modelmart-eval-progress-');
const dataDirectory = folder.path;

beforeAll(() => {
  mkdirSync(join(dataDirectory, 'gsm8k'), { recursive: true });
  const line = (index: number) => JSON.stringify({ question: `Question number ${index}: what is ${index} plus one?`, answer: `One more.\n#### ${index + 1}` });
  writeFileSync(join(dataDirectory, 'gsm8k/test.jsonl'), `${Array.from({ length: itemCount }, (_, index) => line(index)).join('\n')}\n`);
  writeFileSync(join(dataDirectory, 'gsm8k/train.jsonl'), `${Array.from({ length: 5 }, (_, index) => JSON.stringify({ question: `Shot ${index}?`, answer: `#### ${index}` })).join('\n')}\n`);
});
afterAll(() => folder.remove());

/** Even items answered right, odd ones wrong; each answer takes a moment, so progress is seen moving. */
function responder(body: Record<string, unknown>): StubBehaviour {
  const messages = body.messages as { content: string }[];
  const index = Number(/Question number (\d+):/.exec(messages.at(-1)?.content ?? '')?.[1] ?? -1);
  return { kind: 'answer', text: index % 2 === 0 ? `#### ${index + 1}` : '#### 0', delayMilliseconds: 150 };
}

describe.each(testDatabaseTargets())('evaluation progress and items on $name', (target) => {
  let stub: UpstreamStub;
  let test: TestServer;
  let baseUrl: string;
  const headers = () => ({ authorization: `Bearer ${test.adminKey}`, 'content-type': 'application/json' });
  const start = async (body: Record<string, unknown>) => {
    const response = await fetch(`${baseUrl}/admin/v1/evaluations`, { method: 'POST', headers: headers(), body: JSON.stringify({ benchmark: 'gsm8k', model: 'grok-1', data_directory: dataDirectory, ...body }) });
    expect(response.status, await response.clone().text()).toBe(202);
    return (await response.json()) as RunJson;
  };
  const get = async <T>(path: string) => {
    const response = await fetch(`${baseUrl}${path}`, { headers: headers() });
    return { status: response.status, body: (await response.json()) as T };
  };

  beforeAll(async () => {
    stub = await startUpstreamStub();
    stub.setResponder(responder);
    test = await startTestServer(
      target,
      {
        providers: [{ id: 'stub', type: 'openai-compatible', baseUrl: stub.baseUrl, models: ['m'] }],
        routes: [{ model: 'grok-1', strategy: 'fallback', targets: [{ provider: 'stub', model: 'm' }] }],
      },
      {},
      { evaluations: { datasetChecksums: {} } },
    );
    baseUrl = await test.listen();
  });
  afterAll(async () => {
    await test?.close();
    await stub?.close();
  });

  it('streams progress as Server-Sent Events until the run is done', async () => {
    const run = await start({ limit: itemCount, concurrency: 1 });
    const response = await fetch(`${baseUrl}/admin/v1/evaluations/${run.id}/events`, { headers: headers() });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    // The stream ends by itself once the run is done, so the whole text can be read and split.
    const events = (await response.text())
      .split('\n\n')
      .filter((block) => block.startsWith('event: '))
      .map((block) => ({ event: /^event: (\w+)/.exec(block)?.[1] ?? null, run: JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? 'null') as RunJson }));
    const done = events.map((entry) => entry.run.progress.done);
    // Several steps seen, never going back, ending with one `done` event for the completed run.
    expect(new Set(done).size).toBeGreaterThan(2);
    expect(done).toEqual([...done].sort((left, right) => left - right));
    expect(events.filter((entry) => entry.event === 'done')).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({ event: 'done', run: { status: 'completed', progress: { total: itemCount, done: itemCount }, running_score: { correct: itemCount / 2, scored: itemCount } } });
    // A finished run answers its one `done` event and ends.
    const again = await fetch(`${baseUrl}/admin/v1/evaluations/${run.id}/events`, { headers: headers() });
    expect(await again.text()).toMatch(/^event: done\ndata: \{.*"status":"completed"/);
  }, 30_000);

  it('pages a run\'s items with the question, expected answer, answer and whether it was right', async () => {
    const [newest] = (await get<PageJson<RunJson>>('/admin/v1/evaluations?status=completed&limit=1')).body.data;
    if (newest === undefined) throw new Error('no completed run');
    const first = await get<PageJson<ItemJson>>(`/admin/v1/evaluations/${newest.id}/items?limit=5`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ object: 'list', has_more: true, next_cursor: '4' });
    expect(first.body.data.map((item) => item.position)).toEqual([0, 1, 2, 3, 4]);
    expect(first.body.data[0]).toMatchObject({ item_id: '0', status: 'done', expected: '1', answer: '1', correct: true });
    expect(first.body.data[0]?.question).toContain('Question number 0: what is 0 plus one?');
    expect(first.body.data[1]).toMatchObject({ expected: '2', answer: '0', correct: false });
    const second = await get<PageJson<ItemJson>>(`/admin/v1/evaluations/${newest.id}/items?limit=5&cursor=4`);
    expect(second.body).toMatchObject({ has_more: false, next_cursor: null });
    expect(second.body.data.map((item) => item.position)).toEqual([5, 6, 7]);
    expect((await get<{ error: { code: string } }>(`/admin/v1/evaluations/${newest.id}/items?cursor=abc`)).body.error.code).toBe('invalid_cursor');
    expect((await get<{ error: { param: string } }>(`/admin/v1/evaluations/${newest.id}/items?offset=3`)).body.error.param).toBe('offset');
    expect((await get<unknown>('/admin/v1/evaluations/evalrun_missing/items')).status).toBe(404);
    expect((await get<unknown>('/admin/v1/evaluations/evalrun_missing/events')).status).toBe(404);
  });

  it('pages the runs, newest first, with a cursor', async () => {
    const started = [await start({ limit: 1, seed: 1 }), await start({ limit: 1, seed: 2 }), await start({ limit: 1, seed: 3 })];
    const all = (await get<PageJson<RunJson>>('/admin/v1/evaluations?limit=100')).body.data.map((run) => run.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: PageJson<RunJson> } = await get<PageJson<RunJson>>(`/admin/v1/evaluations?limit=2${cursor === null ? '' : `&cursor=${cursor}`}`);
      expect(page.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.data.map((run) => run.id));
      cursor = page.body.next_cursor;
    } while (cursor !== null);
    expect(seen).toEqual(all);
    expect(all.slice(0, 3).sort()).toEqual(started.map((run) => run.id).sort());
    expect((await get<{ error: { code: string } }>('/admin/v1/evaluations?cursor=nonsense')).body.error.code).toBe('invalid_cursor');
  });
});

describe('evaluation progress stream on a server shutting down', () => {
  it('ends open streams instead of waiting for the run', async () => {
    const stub = await startUpstreamStub({ kind: 'hang' });
    const test = await startTestServer(
      sqliteTarget,
      {
        providers: [{ id: 'stub', type: 'openai-compatible', baseUrl: stub.baseUrl, models: ['m'] }],
        routes: [{ model: 'grok-1', strategy: 'fallback', targets: [{ provider: 'stub', model: 'm' }] }],
      },
      {},
      { evaluations: { datasetChecksums: {} } },
    );
    try {
      const baseUrl = await test.listen();
      const headers = { authorization: `Bearer ${test.adminKey}`, 'content-type': 'application/json' };
      const started = await fetch(`${baseUrl}/admin/v1/evaluations`, { method: 'POST', headers, body: JSON.stringify({ benchmark: 'gsm8k', model: 'grok-1', limit: 2, data_directory: dataDirectory }) });
      const run = (await started.json()) as RunJson;
      const response = await fetch(`${baseUrl}/admin/v1/evaluations/${run.id}/events`, { headers });
      const reader = response.body?.getReader();
      if (reader === undefined) throw new Error('no body');
      expect(new TextDecoder().decode((await reader.read()).value)).toMatch(/^event: progress\n/);
      const closedAt = Date.now();
      await test.close();
      for (;;) if ((await reader.read()).done) break;
      expect(Date.now() - closedAt).toBeLessThan(5000);
    } finally {
      await stub.close();
    }
  }, 20_000);
});
