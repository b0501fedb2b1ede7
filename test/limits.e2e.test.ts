// Key scopes and rate limits through the HTTP gateway, with the official openai SDK: a scoped key
// sees and calls only its models; a limited key gets OpenAI's x-ratelimit headers and then 429 with
// retry-after; a flooding key does not slow another key down; and two replicas sharing PostgreSQL
// and Redis enforce one limit together.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/storage/index.js';
import { startUpstreamStub, type UpstreamStub } from './support/openai-upstream-stub.js';
import { pricedModelCard } from './support/priced-model-card.js';
import { createScratchPostgresDatabase, postgresTestUrl, redisTestUrl, temporaryFolder, testDatabaseTargets, type TestDatabaseTarget } from './support/test-databases.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const providers = (upstream: UpstreamStub) => [{ id: 'vendor', type: 'openai-compatible' as const, baseUrl: upstream.baseUrl, models: ['allowed-small', 'allowed-large', 'forbidden'] }];

async function createKey(test: TestServer, body: Record<string, unknown>): Promise<string> {
  const response = await test.server.app.inject({ method: 'POST', url: '/admin/v1/keys', headers: { authorization: `Bearer ${test.adminKey}` }, payload: body });
  expect(response.statusCode, response.body).toBe(201);
  return (response.json() as { key: string }).key;
}

async function chat(baseUrl: string, key: string, model = 'vendor/allowed-small'): Promise<Response> {
  return fetch(`${baseUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'Hi' }], max_tokens: 16 }),
  });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

describe.each(testDatabaseTargets())('key scopes and rate limits on $name', (target) => {
  let upstream: UpstreamStub;
  let test: TestServer;
  let baseUrl: string;

  beforeAll(async () => {
    upstream = await startUpstreamStub();
    test = await startTestServer(target, { logging: { level: 'warn' }, providers: providers(upstream) });
    baseUrl = await test.listen();
  }, 60_000);

  afterAll(async () => {
    await test.close();
    await upstream.close();
  });

  it('lets a scoped key see and call only its models: others answer 403 model_not_allowed', async () => {
    const key = await createKey(test, { name: 'scoped', scopes: { allowed_models: ['vendor/allowed-*'], denied_models: ['vendor/allowed-large'] } });
    const client = new OpenAI({ apiKey: key, baseURL: `${baseUrl}/v1`, maxRetries: 0 });
    const listed = (await client.models.list()).data.map((model) => model.id).sort();
    expect(listed).toEqual(['vendor/allowed-small']);
    const answer = await client.chat.completions.create({ model: 'vendor/allowed-small', messages: [{ role: 'user', content: 'Hi' }] });
    expect(answer.choices[0]?.message.content).toBeTruthy();
    for (const model of ['vendor/forbidden', 'vendor/allowed-large']) {
      const refused = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hi' }] }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(OpenAI.PermissionDeniedError);
      expect(refused).toMatchObject({ status: 403, code: 'model_not_allowed' });
    }
  });

  it('counts requests down in the x-ratelimit headers, then refuses with 429 and retry-after', async () => {
    const key = await createKey(test, { name: 'five a minute', requests_per_minute: 5 });
    const remaining: string[] = [];
    for (let index = 0; index < 5; index += 1) {
      const response = await chat(baseUrl, key);
      expect(response.status).toBe(200);
      expect(response.headers.get('x-ratelimit-limit-requests')).toBe('5');
      remaining.push(response.headers.get('x-ratelimit-remaining-requests') ?? '');
      await response.text();
    }
    expect(remaining).toEqual(['4', '3', '2', '1', '0']);
    const refused = await chat(baseUrl, key);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await refused.json()) as { error: { code: string; type: string; message: string } };
    expect(body.error).toMatchObject({ code: 'rate_limit_exceeded', type: 'requests' });
    expect(body.error.message).toMatch(/requests per minute: Limit 5/);
    // The SDK sees a RateLimitError.
    const client = new OpenAI({ apiKey: key, baseURL: `${baseUrl}/v1`, maxRetries: 0 });
    await expect(client.chat.completions.create({ model: 'vendor/allowed-small', messages: [{ role: 'user', content: 'Hi' }] })).rejects.toBeInstanceOf(OpenAI.RateLimitError);
  });

  it("refuses a request whose tokens can never fit the key's tokens-per-minute limit, and counts tokens in the headers", async () => {
    const key = await createKey(test, { name: 'few tokens', tokens_per_minute: 200 });
    const fits = await chat(baseUrl, key);
    expect(fits.status).toBe(200);
    expect(fits.headers.get('x-ratelimit-limit-tokens')).toBe('200');
    await fits.text();
    const tooLarge = await fetch(`${baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'vendor/allowed-small', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 5_000 }),
    });
    expect(tooLarge.status).toBe(429);
    expect(((await tooLarge.json()) as { error: { type: string } }).error.type).toBe('tokens');
  });

  it('refuses with 402 insufficient_quota past a budget: a zero budget refuses everything, a small one admits what fits', async () => {
    const admin = { authorization: `Bearer ${test.adminKey}` };
    const card = await test.server.app.inject({
      method: 'POST',
      url: '/admin/v1/models',
      headers: admin,
      // 1 USD per million tokens: a token costs one micro-unit.
      payload: pricedModelCard({
        id: 'limits-priced-model',
        name: 'Priced',
        description: 'Gives the budget tests a price.',
        deployments: [{ kind: 'private', provider: 'vendor', model: 'allowed-small' }],
        inputPerMillion: 1_000_000,
        outputPerMillion: 1_000_000,
      }),
    });
    expect(card.statusCode, card.body).toBe(201);
    const budgetFor = async (keyId: string, hardLimit: number) => {
      const created = await test.server.app.inject({
        method: 'POST',
        url: '/admin/v1/budgets',
        headers: admin,
        payload: { scope_type: 'key', scope_id: keyId, organisation_id: 'org_default', period: 'day', currency: 'USD', hard_limit: hardLimit },
      });
      expect(created.statusCode, created.body).toBe(201);
    };
    const keyRecord = async (name: string) => {
      const response = await test.server.app.inject({ method: 'POST', url: '/admin/v1/keys', headers: admin, payload: { name } });
      return response.json() as { id: string; key: string };
    };

    const broke = await keyRecord('zero budget');
    await budgetFor(broke.id, 0);
    const client = new OpenAI({ apiKey: broke.key, baseURL: `${baseUrl}/v1`, maxRetries: 0 });
    const refused = await client.chat.completions.create({ model: 'vendor/allowed-small', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 16 }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OpenAI.APIError);
    expect(refused).toMatchObject({ status: 402, code: 'insufficient_quota' });
    expect(String((refused as Error).message)).toMatch(/budget/i);

    // Each request holds at most (prompt bytes + 16) micro-units and really costs 17 (the stub's usage):
    // a budget of 100 admits while what is left covers the hold, then refuses — never spends past it.
    const thrifty = await keyRecord('small budget');
    await budgetFor(thrifty.id, 100);
    const statuses: number[] = [];
    for (let index = 0; index < 8; index += 1) {
      const response = await chat(baseUrl, thrifty.key);
      statuses.push(response.status);
      await response.text();
      await test.billing.flush();
    }
    expect(statuses[0]).toBe(200);
    expect(statuses).toContain(402);
    expect(statuses.indexOf(402)).toBeGreaterThan(0);
    await test.billing.flush();
    const spent = await test.database.kysely
      .selectFrom('usage_ledger')
      .select((builder) => builder.fn.sum<number | string>('cost').as('cost'))
      .where('key_id', '=', thrifty.id)
      .executeTakeFirstOrThrow();
    expect(Number(spent.cost)).toBeLessThanOrEqual(100);
    expect(Number(spent.cost)).toBe(17 * statuses.filter((status) => status === 200).length);
  }, 60_000);

  it('keeps a second key at its latency while the first floods at 20× its limit', async () => {
    const flooder = await createKey(test, { name: 'flooder', requests_per_minute: 10 });
    const bystander = await createKey(test, { name: 'bystander' });
    const timed = async (key: string): Promise<number> => {
      const started = performance.now();
      const response = await chat(baseUrl, key);
      expect(response.status).toBe(200);
      await response.text();
      return performance.now() - started;
    };
    const baseline: number[] = [];
    for (let index = 0; index < 30; index += 1) baseline.push(await timed(bystander));

    let flooding = true;
    const statuses: number[] = [];
    const flood = (async () => {
      // 200 requests, 20 at a time, against a limit of 10 a minute.
      for (let wave = 0; wave < 10; wave += 1) {
        const answers = await Promise.all(Array.from({ length: 20 }, async () => chat(baseUrl, flooder)));
        for (const answer of answers) {
          statuses.push(answer.status);
          await answer.text();
        }
      }
      flooding = false;
    })();
    const during: number[] = [];
    while (flooding || during.length < 30) during.push(await timed(bystander));
    await flood;
    expect(statuses.filter((status) => status === 200)).toHaveLength(10);
    expect(statuses.filter((status) => status === 429)).toHaveLength(190);
    // Generous bounds: this machine is shared; starving would mean refusals or seconds, not milliseconds.
    expect(median(during)).toBeLessThan(median(baseline) * 5 + 25);
  }, 60_000);
});

describe('two replicas sharing PostgreSQL and Redis', () => {
  const postgresUrl = postgresTestUrl();
  const redisUrl = redisTestUrl();
  const run = postgresUrl !== undefined && redisUrl !== undefined ? it : it.skip;

  run('enforce one rate limit together', async () => {
    const scratch = await createScratchPostgresDatabase(postgresUrl ?? '');
    const folders = [temporaryFolder(), temporaryFolder()];
    const upstream = await startUpstreamStub();
    // Both servers open the same database; the first migrates it.
    const sharedTarget = (index: number): TestDatabaseTarget => ({
      name: 'postgres',
      async open() {
        const options = { dataDir: folders[index]?.path ?? '', databaseUrl: scratch.url };
        const database = await openDatabase({ ...options, poolSize: 4 });
        await database.migrateToLatest();
        return { database, options, dispose: () => database.close() };
      },
    });
    const first = await startTestServer(sharedTarget(0), { logging: { level: 'warn' }, providers: providers(upstream) }, {}, { redisUrl: redisUrl ?? '' });
    const second = await startTestServer(sharedTarget(1), { logging: { level: 'warn' }, providers: providers(upstream) }, {}, { redisUrl: redisUrl ?? '' });
    try {
      const urls = [await first.listen(), await second.listen()];
      const key = await createKey(first, { name: `shared limit ${Date.now()}`, requests_per_minute: 10 });
      const statuses = await Promise.all(Array.from({ length: 30 }, async (_, index) => (await chat(urls[index % 2] ?? '', key)).status));
      expect(statuses.filter((status) => status === 200)).toHaveLength(10);
      expect(statuses.filter((status) => status === 429)).toHaveLength(20);
    } finally {
      await first.close();
      await second.close();
      await upstream.close();
      await scratch.drop();
      for (const folder of folders) folder.remove();
    }
  }, 60_000);
});
