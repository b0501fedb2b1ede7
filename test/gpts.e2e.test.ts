// The whole GPT loop through HTTP on a real server, with the openai SDK, on SQLite and on
// PostgreSQL: a creator makes a GPT, uploads a knowledge file, adds an OpenAPI action that points
// at a local API, and publishes; a caller in another organisation calls `gpt:<slug>` against a
// local upstream replaying recorded tool-calling answers (a tool call, then text citing [1]) and
// sees the tool result and the citation, streamed and not, in chat and in responses; the ledger
// has one row per model call with the GPT, the caller is charged and the creator credited its
// share to the micro-unit. Also: a key without the GPT, a loop stopped at max_steps, a tool that
// times out, and a GPT on the embedded tiny GGUF model.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localOperator, OrganisationService } from '../src/accounts/index.js';
import { startRecordedUpstream, toolThenText, type RecordedUpstream } from '../src/gpts/runner/__fixtures__/recorded-tool-calling-upstream.js';
import { keyedHttp } from './support/keyed-http.js';
import { pricedModelCard } from './support/priced-model-card.js';
import { sqliteTarget, temporaryFolder, testDatabaseTargets } from './support/test-databases.js';
import { startTestServer, type TestServer } from './support/test-server.js';
import { writeTinyGguf } from './support/tiny-gguf-writer.js';

const inputPerMillion = 1_230_000;
const outputPerMillion = 4_560_000;

/** A local API for the GPT's action: the weather, and an endpoint that never answers. */
async function startWeatherApi(): Promise<{ baseUrl: string; calls: string[]; close: () => Promise<void> }> {
  const calls: string[] = [];
  const server: Server = createServer((request, response) => {
    calls.push(request.url ?? '');
    if (request.url?.startsWith('/slow') === true) return;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ forecast: 'sunny', celsius: 24 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function openApiDocument(baseUrl: string, operationId: string, path: string): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: { title: 'Weather', version: '1.0.0' },
    servers: [{ url: baseUrl }],
    paths: {
      [path]: {
        get: {
          operationId,
          summary: 'The weather in a city',
          parameters: [{ name: 'city', in: 'query', required: true, schema: { type: 'string' } }],
          responses: { '200': { description: 'The forecast' } },
        },
      },
    },
  };
}

describe.each(testDatabaseTargets())('GPTs end to end on $name', { timeout: 120_000 }, (target) => {
  let upstream: RecordedUpstream;
  let api: Awaited<ReturnType<typeof startWeatherApi>>;
  let test: TestServer;
  let baseUrl: string;
  let caller: OpenAI;
  let gptId = '';
  let callerOrganisation = '';
  let creatorOrganisation = '';
  const keys = { creator: '', caller: '', restricted: '' };

  const http = keyedHttp(() => baseUrl);

  async function makeGpt(slug: string, operationId: string, path: string): Promise<string> {
    const created = await http('POST', '/store/v1/gpts', keys.creator, {
      name: `GPT ${slug}`,
      slug,
      base_model: 'recorded/gpt-4o-mini',
      instructions: 'You are a weather assistant. Use the weather tool.',
      visibility: 'public',
    });
    expect(created.status, created.text).toBe(201);
    const action = await http('POST', `/store/v1/gpts/${slug}/actions`, keys.creator, { kind: 'openapi', document: openApiDocument(api.baseUrl, operationId, path) });
    expect(action.status, action.text).toBe(201);
    return String(created.body.id);
  }

  beforeAll(async () => {
    upstream = await startRecordedUpstream();
    api = await startWeatherApi();
    test = await startTestServer(target, {
      logging: { level: 'warn' },
      providers: [{ id: 'recorded', type: 'openai-compatible', baseUrl: upstream.baseUrl, models: ['gpt-4o-mini'] }],
      gpts: { outbound: { allowList: ['127.0.0.1'], timeoutMs: 500 }, runner: { maxSteps: 3, deadlineMs: 20_000 } },
    });
    const card = await test.server.app.inject({
      method: 'POST',
      url: '/admin/v1/models',
      headers: { authorization: `Bearer ${test.adminKey}` },
      payload: pricedModelCard({
        id: 'recorded-model',
        name: 'Recorded Model',
        description: 'A priced card for the GPT test.',
        deployments: [{ kind: 'private', provider: 'recorded', model: 'gpt-4o-mini' }],
        inputPerMillion,
        outputPerMillion,
      }),
    });
    expect(card.statusCode, card.body).toBe(201);
    const organisations = new OrganisationService(test.database, test.apiKeys);
    const creator = await organisations.createOrganisation({ name: 'Weather Makers' }, localOperator);
    const callers = await organisations.createOrganisation({ name: 'Callers' }, localOperator);
    creatorOrganisation = creator.id;
    callerOrganisation = callers.id;
    keys.creator = (await test.apiKeys.createKey({ name: 'maker', organisation_id: creator.id })).key;
    keys.caller = (await test.apiKeys.createKey({ name: 'caller', organisation_id: callers.id })).key;
    keys.restricted = (await test.apiKeys.createKey({ name: 'restricted', organisation_id: callers.id, scopes: { allowed_gpts: ['support-*'] } })).key;
    baseUrl = await test.listen();
    caller = new OpenAI({ baseURL: `${baseUrl}/v1`, apiKey: keys.caller, maxRetries: 0 });

    gptId = await makeGpt('weather-helper', 'get_weather', '/weather');
    const upload = await http('POST', '/store/v1/gpts/weather-helper/knowledge/files?filename=climate.md', keys.creator, '# Climate of Paris\n\nParis is usually sunny and warm in June.\n', 'text/markdown');
    expect(upload.status, upload.text).toBe(201);
    const published = await http('POST', '/store/v1/gpts/weather-helper/publish', keys.creator);
    expect(published.status, published.text).toBe(201);
  }, 120_000);

  afterAll(async () => {
    await test.close();
    await api.close();
    await upstream.close();
  });

  const question: OpenAI.Chat.ChatCompletionMessageParam[] = [{ role: 'user', content: 'What is the weather in Paris in June?' }];

  it('shows anyone the published version\'s capabilities on the GPT\'s store page', async () => {
    const page = await fetch(`${baseUrl}/store/v1/gpts/weather-helper`);
    expect(page.status).toBe(200);
    expect(await page.json()).toMatchObject({ slug: 'weather-helper', latest_version: 1, capabilities: { knowledge: true, actions: true } });
  });

  it('answers in chat with the tool result and a citation of the knowledge file', async () => {
    upstream.script(toolThenText);
    const completion = await caller.chat.completions.create({ model: 'gpt:weather-helper', messages: question });
    const choice = completion.choices[0];
    expect(choice?.finish_reason).toBe('stop');
    const content = choice?.message.content ?? '';
    expect(content).toContain('"forecast":"sunny"');
    const marker = content.indexOf('[1]');
    expect(marker).toBeGreaterThan(0);
    expect(choice?.message.annotations).toEqual([{ type: 'url_citation', url_citation: { title: expect.any(String), url: 'climate.md', start_index: marker, end_index: marker + 3 } }]);
    const extension = (completion as unknown as { modelmart: { gpt: string; version: number; steps: { name: string; ok: boolean; output: string }[]; citations: { source: string }[] } }).modelmart;
    expect(extension).toMatchObject({ gpt: 'weather-helper', version: 1, citations: [{ source: 'climate.md' }] });
    expect(extension.steps).toEqual([expect.objectContaining({ name: 'get_weather', ok: true, output: expect.stringContaining('sunny') })]);
    expect(completion.usage).toMatchObject({ prompt_tokens: 84 + 131, completion_tokens: 17 + 23 });
    // The model saw the instructions first and the passage numbered [1].
    const firstCall = upstream.received.at(-2);
    expect(firstCall?.messages[0]).toMatchObject({ role: 'system', content: expect.stringContaining('weather assistant') });
    expect(String(firstCall?.messages[1]?.content)).toContain('[1]');
    expect(api.calls.at(-1)).toBe('/weather?city=Paris');
  });

  it('streams the chat answer after the tool step, with the annotations and the extension at the end', async () => {
    const stream = await caller.chat.completions.create({ model: 'gpt:weather-helper', messages: question, stream: true, stream_options: { include_usage: true } });
    let text = '';
    let finishReason: string | null = null;
    let closing: Record<string, unknown> | undefined;
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.choices[0]?.finish_reason) {
        finishReason = chunk.choices[0].finish_reason;
        closing = chunk as unknown as Record<string, unknown>;
      }
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toContain('"forecast":"sunny"');
    expect(text).toContain('[1]');
    expect(finishReason).toBe('stop');
    expect(closing).toMatchObject({ choices: [{ delta: { annotations: [{ type: 'url_citation' }] } }], modelmart: { gpt: 'weather-helper', steps: [{ name: 'get_weather', ok: true }] } });
    expect(usage?.total_tokens).toBe(101 + 154);
  });

  it('shows the tool steps as Responses output items before the message, streamed and not', async () => {
    const response = await caller.responses.create({ model: 'gpt:weather-helper', input: 'What is the weather in Paris in June?' });
    expect(response.output.map((item) => item.type)).toEqual(['function_call', 'function_call_output', 'message']);
    const [call, output, message] = response.output;
    expect(call).toMatchObject({ name: 'get_weather', arguments: '{"city":"Paris"}' });
    expect(output).toMatchObject({ call_id: (call as { call_id: string }).call_id, output: expect.stringContaining('sunny') });
    expect(message).toMatchObject({ content: [{ type: 'output_text', annotations: [{ type: 'url_citation', url: 'climate.md' }] }] });
    expect(response.output_text).toContain('[1]');

    const events = await caller.responses.create({ model: 'gpt:weather-helper', input: 'What is the weather in Paris in June?', stream: true });
    const seen: { type: string; sequence_number: number; output_index?: number; item?: { type: string } }[] = [];
    let completed: OpenAI.Responses.Response | undefined;
    for await (const event of events) {
      seen.push(event as unknown as (typeof seen)[number]);
      if (event.type === 'response.completed') completed = event.response;
    }
    expect(seen.map((event) => event.sequence_number)).toEqual(seen.map((_event, index) => index));
    const added = seen.filter((event) => event.type === 'response.output_item.added').map((event) => [event.output_index, event.item?.type]);
    expect(added).toEqual([
      [0, 'function_call'],
      [1, 'function_call_output'],
      [2, 'message'],
    ]);
    expect(completed?.output.map((item) => item.type)).toEqual(['function_call', 'function_call_output', 'message']);
    expect(completed?.output_text ?? JSON.stringify(completed?.output)).toContain('[1]');
  });

  it('records one ledger row per model call with the GPT, charges the caller and credits the creator its share', async () => {
    await test.billing.flush();
    const rows = await test.database.kysely.selectFrom('usage_ledger').select(['request_id', 'gpt_id', 'cost', 'organisation_id', 'transaction_id']).where('gpt_id', '=', gptId).execute();
    // Four answers so far, two model calls each.
    expect(rows).toHaveLength(8);
    expect(rows.every((row) => /\.s[12]$/.test(row.request_id) && row.organisation_id === callerOrganisation)).toBe(true);
    const costs = rows.map((row) => Number(row.cost));
    expect(costs.every((cost) => cost > 0)).toBe(true);
    const charged = costs.reduce((sum, cost) => sum + cost, 0);
    const share = costs.reduce((sum, cost) => sum + Math.floor((cost * 7_000) / 10_000), 0);
    const balance = async (organisationId: string, kind: string) =>
      Number((await test.database.kysely.selectFrom('billing_accounts').select('balance').where('organisation_id', '=', organisationId).where('kind', '=', kind).executeTakeFirstOrThrow()).balance);
    expect(await balance(callerOrganisation, 'customer')).toBe(-charged);
    expect(await balance(creatorOrganisation, 'earnings')).toBe(share);
    const shares = await test.database.kysely.selectFrom('billing_transactions').select(['id', 'kind', 'memo']).where('organisation_id', '=', callerOrganisation).execute();
    expect(shares).toHaveLength(8);
    expect(shares.every((transaction) => transaction.kind === 'revenue_share' && (transaction.memo ?? '').includes(gptId))).toBe(true);
    // The creator sees the same earnings in the GPT's statistics.
    const stats = await http('GET', '/store/v1/gpts/weather-helper/stats', keys.creator);
    expect(stats.status, stats.text).toBe(200);
    expect(stats.body).toMatchObject({ earnings: { all_time: { USD: share } } });
  });

  it('refuses a key whose GPT allow list leaves the GPT out', async () => {
    const restricted = new OpenAI({ baseURL: `${baseUrl}/v1`, apiKey: keys.restricted, maxRetries: 0 });
    await expect(restricted.chat.completions.create({ model: 'gpt:weather-helper', messages: question })).rejects.toMatchObject({ status: 403, code: 'gpt_not_allowed' });
    await expect(caller.chat.completions.create({ model: 'gpt:no-such-gpt', messages: question })).rejects.toMatchObject({ status: 404 });
  });

  it('lists the GPTs a key may call in /v1/models and documents the GPT endpoints in /openapi.json', async () => {
    const listed = (await caller.models.list()).data.map((model) => model.id);
    expect(listed).toContain('gpt:weather-helper');
    expect(await caller.models.retrieve('gpt:weather-helper')).toMatchObject({ id: 'gpt:weather-helper', object: 'model' });
    const restricted = new OpenAI({ baseURL: `${baseUrl}/v1`, apiKey: keys.restricted, maxRetries: 0 });
    expect((await restricted.models.list()).data.map((model) => model.id)).not.toContain('gpt:weather-helper');
    const document = (await (await fetch(`${baseUrl}/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/store/v1/gpts', '/store/v1/gpts/{slug}/publish', '/store/v1/gpts/{gpt}/knowledge/files', '/store/v1/gpts/{gpt}/actions']));
  });

  it('stops a loop that never ends at the step limit with finish reason max_steps', async () => {
    upstream.script((request) => (request.tools.length > 0 ? { kind: 'tool_call', arguments: '{"city":"Paris"}' } : { kind: 'text' }));
    try {
      const completion = await caller.chat.completions.create({ model: 'gpt:weather-helper', messages: question });
      expect(completion.choices[0]?.finish_reason).toBe('max_steps');
      expect(completion.choices[0]?.message.content).toContain('step limit');
      expect((completion as unknown as { modelmart: { model_calls: number; stopped: { reason: string } } }).modelmart).toMatchObject({ model_calls: 3, stopped: { reason: 'max_steps' } });
    } finally {
      upstream.script(toolThenText);
    }
  });

  it('gives the model a tool error when the tool times out, and still answers', async () => {
    await makeGpt('slow-helper', 'get_slow_weather', '/slow');
    expect((await http('POST', '/store/v1/gpts/slow-helper/publish', keys.creator)).status).toBe(201);
    const completion = await caller.chat.completions.create({ model: 'gpt:slow-helper', messages: question });
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    const extension = (completion as unknown as { modelmart: { steps: { ok: boolean; error?: { code: string } }[] } }).modelmart;
    expect(extension.steps).toEqual([expect.objectContaining({ ok: false, error: expect.objectContaining({ code: expect.stringMatching(/timeout/) }) })]);
    expect(completion.choices[0]?.message.content).toContain('The tool said:');
  });
});

describe('a GPT whose base model the licence policy refuses', { timeout: 120_000 }, () => {
  let test: TestServer;

  beforeAll(async () => {
    test = await startTestServer(sqliteTarget, {
      logging: { level: 'warn' },
      providers: [{ id: 'vendor', type: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1', models: ['research-model'] }],
      licensePolicy: { organisation: { use: 'commercial', monthlyActiveUsers: 'up-to-1m' } },
    });
    const card = await test.server.app.inject({
      method: 'POST',
      url: '/admin/v1/models',
      headers: { authorization: `Bearer ${test.adminKey}` },
      payload: {
        id: 'research-7b',
        name: 'Research 7B',
        vendor: 'Example Lab',
        release_date: '2024-01-02',
        description: 'Weights under a non-commercial licence.',
        capability: { context_window: 4096, input_modalities: ['text'], output_modalities: ['text'] },
        openness: { final_parameters: { public: true, license: 'CC-BY-NC-4.0' } },
        license: { id: 'CC-BY-NC-4.0' },
        deployments: [{ kind: 'private', provider: 'vendor', model: 'research-model' }],
      },
    });
    expect(card.statusCode, card.body).toBe(201);
  }, 60_000);
  afterAll(async () => {
    await test.close();
  });

  it('is refused naming the GPT, its base model and the clause', async () => {
    const headers = { authorization: `Bearer ${test.userKey}` };
    const created = await test.server.app.inject({ method: 'POST', url: '/store/v1/gpts', headers, payload: { name: 'Researcher', slug: 'researcher', base_model: 'vendor/research-model', capabilities: { knowledge: false, actions: false } } });
    expect(created.statusCode, created.body).toBe(201);
    expect((await test.server.app.inject({ method: 'POST', url: '/store/v1/gpts/researcher/publish', headers })).statusCode).toBe(201);
    const refused = await test.server.app.inject({ method: 'POST', url: '/v1/chat/completions', headers, payload: { model: 'gpt:researcher', messages: [{ role: 'user', content: 'hi' }] } });
    expect(refused.statusCode).toBe(403);
    const error = refused.json<{ error: { code: string; message: string } }>().error;
    expect(error.code).toBe('license_not_permitted');
    expect(error.message).toContain("The GPT 'researcher' runs on the model 'research-7b'");
    expect(error.message).toContain('does not permit commercial use');
  });
});

describe('a GPT on the embedded tiny GGUF model', { timeout: 120_000 }, () => {
  const folder = temporaryFolder();
  let test: TestServer;

  beforeAll(async () => {
    const modelPath = join(folder.path, 'tiny.gguf');
    await writeTinyGguf(modelPath);
    test = await startTestServer(sqliteTarget, { logging: { level: 'warn' }, providers: [{ id: 'local', type: 'llama-cpp', threads: 1, models: [{ name: 'tiny', file: modelPath, contextWindow: 512 }] }] });
  }, 60_000);
  afterAll(async () => {
    await test.close();
    folder.remove();
  });

  it('answers with some text', async () => {
    const baseUrl = await test.listen();
    const headers = { authorization: `Bearer ${test.userKey}`, 'content-type': 'application/json' };
    const created = await fetch(`${baseUrl}/store/v1/gpts`, { method: 'POST', headers, body: JSON.stringify({ name: 'Tiny', slug: 'tiny-helper', base_model: 'local/tiny', instructions: 'Be brief.', capabilities: { knowledge: false, actions: false } }) });
    expect(created.status, await created.clone().text()).toBe(201);
    expect((await fetch(`${baseUrl}/store/v1/gpts/tiny-helper/publish`, { method: 'POST', headers: { authorization: headers.authorization } })).status).toBe(201);
    const client = new OpenAI({ baseURL: `${baseUrl}/v1`, apiKey: test.userKey, maxRetries: 0 });
    const completion = await client.chat.completions.create({ model: 'gpt:tiny-helper', messages: [{ role: 'user', content: 'Hello' }], max_tokens: 8, temperature: 0, seed: 7 });
    expect(completion.choices[0]?.message.content?.length).toBeGreaterThan(0);
    expect(completion.model).toBe('gpt:tiny-helper');
  });
});
