// GPT knowledge embeddings are metered like any model call: indexing a file is charged to the
// GPT's organisation and project (key id `knowledge-indexing-<gpt id>`), a run's retrieval query
// to the caller (with the GPT on the row), both at the embeddings model's catalogue price and
// with the upstream's own token counts; an organisation over its hard limit gets 402 on upload
// and nothing is stored. Vector search needs sqlite-vec or pgvector: where the database has
// neither (PostgreSQL here), nothing is embedded and nothing is charged for it.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localOperator, OrganisationService } from '../src/accounts/index.js';
import { startUpstreamStub, type UpstreamStub } from './support/openai-upstream-stub.js';
import { keyedHttp } from './support/keyed-http.js';
import { pricedModelCard } from './support/priced-model-card.js';
import { testDatabaseTargets } from './support/test-databases.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const embeddingsPricePerMillion = 20_000_000;
const chatInputPerMillion = 1_000_000;
const chatOutputPerMillion = 2_000_000;

describe.each(testDatabaseTargets())('GPT knowledge embeddings metering on $name', { timeout: 120_000 }, (target) => {
  let upstream: UpstreamStub;
  let test: TestServer;
  let baseUrl = '';
  let gptId = '';
  let vectorSearch = false;
  const organisations = { maker: '', caller: '' };
  const keys = { maker: '', caller: '' };

  const http = keyedHttp(() => baseUrl);

  const ledger = async () => {
    await test.billing.flush();
    return test.database.kysely.selectFrom('usage_ledger').selectAll().where('model', '=', 'stub/embed-model').orderBy('created_at').execute();
  };
  const embeddingsCalls = () => upstream.received.filter((request) => request.path.endsWith('/embeddings'));

  beforeAll(async () => {
    upstream = await startUpstreamStub();
    test = await startTestServer(target, {
      logging: { level: 'warn' },
      providers: [{ id: 'stub', type: 'openai-compatible', baseUrl: `${upstream.baseUrl}/v1`, models: ['chat-model', 'embed-model'] }],
      gpts: { knowledge: { embeddingsModel: 'stub/embed-model' } },
    });
    const cards = [
      pricedModelCard({ id: 'stub-embeddings', description: 'Prices the knowledge embeddings.', deployments: [{ kind: 'private', provider: 'stub', model: 'embed-model' }], inputPerMillion: embeddingsPricePerMillion, outputPerMillion: 0 }),
      pricedModelCard({ id: 'stub-chat', description: 'Prices the GPT base model.', deployments: [{ kind: 'private', provider: 'stub', model: 'chat-model' }], inputPerMillion: chatInputPerMillion, outputPerMillion: chatOutputPerMillion }),
    ];
    for (const payload of cards) {
      const created = await test.server.app.inject({ method: 'POST', url: '/admin/v1/models', headers: { authorization: `Bearer ${test.adminKey}` }, payload });
      expect(created.statusCode, created.body).toBe(201);
    }
    const service = new OrganisationService(test.database, test.apiKeys);
    organisations.maker = (await service.createOrganisation({ name: 'Knowledge Makers' }, localOperator)).id;
    organisations.caller = (await service.createOrganisation({ name: 'Knowledge Callers' }, localOperator)).id;
    keys.maker = (await test.apiKeys.createKey({ name: 'maker', organisation_id: organisations.maker })).key;
    keys.caller = (await test.apiKeys.createKey({ name: 'caller', organisation_id: organisations.caller })).key;
    baseUrl = await test.listen();

    const created = await http('POST', '/store/v1/gpts', keys.maker, { name: 'Paris facts', slug: 'paris-facts', base_model: 'stub/chat-model', instructions: 'Answer from the knowledge.', visibility: 'public' });
    expect(created.status, created.text).toBe(201);
    gptId = String(created.body.id);
    const status = await http('GET', '/store/v1/gpts/paris-facts/knowledge', keys.maker);
    vectorSearch = (status.body.vector_search as { available?: boolean } | undefined)?.available === true;
    // sqlite-vec ships with the SQLite driver, so there the metered path must run.
    if (target.name === 'sqlite') expect(vectorSearch).toBe(true);
  }, 120_000);

  afterAll(async () => {
    await test.close();
    await upstream.close();
  });

  it("charges indexing a file to the GPT's organisation and project, at the embeddings price and the upstream's token count", async () => {
    const upload = await http('POST', '/store/v1/gpts/paris-facts/knowledge/files?filename=paris.md', keys.maker, '# Paris\n\nParis is sunny and warm in June. The Seine runs through it.\n', 'text/markdown');
    expect(upload.status, upload.text).toBe(201);
    const rows = await ledger();
    if (!vectorSearch) {
      expect(embeddingsCalls()).toHaveLength(0);
      expect(rows).toHaveLength(0);
      return;
    }
    const calls = embeddingsCalls();
    expect(calls).toHaveLength(1);
    const texts = (calls[0]?.body.input as string[]).length;
    expect(rows).toHaveLength(1);
    const gpt = await test.database.kysely.selectFrom('gpts').select(['organisation_id', 'project_id']).where('id', '=', gptId).executeTakeFirstOrThrow();
    expect(rows[0]).toMatchObject({ organisation_id: organisations.maker, project_id: gpt.project_id, key_id: `knowledge-indexing-${gptId}`, gpt_id: null, status: 'ok', currency: 'USD' });
    // The stub counts 4 tokens per input text.
    expect(Number(rows[0]?.prompt_tokens)).toBe(4 * texts);
    expect(Number(rows[0]?.cost)).toBe((4 * texts * embeddingsPricePerMillion) / 1_000_000);
  });

  it("charges a run's retrieval query to the caller, with the GPT on the row", async () => {
    const published = await http('POST', '/store/v1/gpts/paris-facts/publish', keys.maker);
    expect(published.status, published.text).toBe(201);
    const before = (await ledger()).length;
    const client = new OpenAI({ baseURL: `${baseUrl}/v1`, apiKey: keys.caller, maxRetries: 0 });
    const completion = await client.chat.completions.create({ model: 'gpt:paris-facts', messages: [{ role: 'user', content: 'Is Paris warm in June?' }] });
    expect(completion.choices[0]?.message.content).toBeTruthy();
    const rows = await ledger();
    if (!vectorSearch) {
      expect(rows).toHaveLength(before);
      return;
    }
    const query = rows.slice(before);
    expect(query).toHaveLength(1);
    expect(query[0]).toMatchObject({ organisation_id: organisations.caller, gpt_id: gptId, status: 'ok' });
    expect(Number(query[0]?.prompt_tokens)).toBe(4);
    expect(Number(query[0]?.cost)).toBe((4 * embeddingsPricePerMillion) / 1_000_000);
  });

  it('refuses an upload with 402 when the organisation is over its hard limit, and stores nothing', async () => {
    const budget = await test.server.app.inject({
      method: 'POST',
      url: '/admin/v1/budgets',
      headers: { authorization: `Bearer ${test.adminKey}` },
      payload: { scope_type: 'organisation', scope_id: organisations.maker, organisation_id: organisations.maker, period: 'month', currency: 'USD', hard_limit: 0 },
    });
    expect(budget.statusCode, budget.body).toBe(201);
    const before = (await ledger()).length;
    const upload = await http('POST', '/store/v1/gpts/paris-facts/knowledge/files?filename=more.md', keys.maker, '# More\n\nThe Louvre is a museum.\n', 'text/markdown');
    const files = await http('GET', '/store/v1/gpts/paris-facts/knowledge/files', keys.maker);
    const names = (files.body.data as { source: string }[]).map((file) => file.source);
    if (!vectorSearch) {
      // Nothing to embed, so nothing to charge: the file is indexed for full-text search.
      expect(upload.status, upload.text).toBe(201);
      expect(names).toContain('more.md');
      return;
    }
    expect(upload.status, upload.text).toBe(402);
    expect(upload.body).toMatchObject({ error: { code: 'insufficient_quota' } });
    expect(names).not.toContain('more.md');
    expect(await ledger()).toHaveLength(before);
  });
});
