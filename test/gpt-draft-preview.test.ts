// An editor's preview of a GPT's unpublished draft, `gpt:<slug>@draft`, on SQLite and on
// PostgreSQL: the draft's instructions and knowledge reach the model before anything is
// published, the answer says version 0, streamed too; a key that may not edit the GPT gets the
// same refusal as for editing it, and the published name still answers 404 until it is published.
// Also the store's pages with the web app's session cookie, and the builder's list of the GPTs a
// key may edit, drafts included, and one of them by id.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localOperator, OrganisationService } from '../src/accounts/index.js';
import { startUpstreamStub, type UpstreamStub } from './support/openai-upstream-stub.js';
import { testDatabaseTargets } from './support/test-databases.js';
import { startTestServer, type TestServer } from './support/test-server.js';

describe.each(testDatabaseTargets())('GPT draft preview on $name', { timeout: 120_000 }, (target) => {
  let upstream: UpstreamStub;
  let test: TestServer;
  const keys = { creator: '', stranger: '' };

  const call = async (method: 'GET' | 'POST', url: string, key: string, payload?: unknown, contentType = 'application/json') => {
    const response = await test.server.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${key}`, ...(payload === undefined ? {} : { 'content-type': contentType }) },
      ...(payload === undefined ? {} : { payload: typeof payload === 'string' ? payload : JSON.stringify(payload) }),
    });
    return { status: response.statusCode, text: response.body, json: () => JSON.parse(response.body) as Record<string, unknown> };
  };

  beforeAll(async () => {
    upstream = await startUpstreamStub({ kind: 'answer', text: 'Port Azure [1].' });
    test = await startTestServer(target, {
      logging: { level: 'warn' },
      providers: [{ id: 'stub', type: 'openai-compatible', baseUrl: upstream.baseUrl, models: ['gpt-4o-mini'] }],
    });
    const organisations = new OrganisationService(test.database, test.apiKeys);
    const makers = await organisations.createOrganisation({ name: 'Preview Makers' }, localOperator);
    const others = await organisations.createOrganisation({ name: 'Others' }, localOperator);
    keys.creator = (await test.apiKeys.createKey({ name: 'maker', organisation_id: makers.id })).key;
    keys.stranger = (await test.apiKeys.createKey({ name: 'stranger', organisation_id: others.id })).key;
    const created = await call('POST', '/store/v1/gpts', keys.creator, { name: 'Harbour Guide', slug: 'harbour-guide', base_model: 'stub/gpt-4o-mini', instructions: 'You guide sailors to harbours.', visibility: 'public' });
    expect(created.status, created.text).toBe(201);
    const upload = await call('POST', '/store/v1/gpts/harbour-guide/knowledge/files?filename=harbours.txt', keys.creator, 'The secret harbour of the north coast is Port Azure.\n', 'text/plain');
    expect(upload.status, upload.text).toBe(201);
  }, 120_000);

  afterAll(async () => {
    await test?.close();
    await upstream?.close();
  });

  it('runs the unpublished draft for its editor with its instructions and knowledge, as version 0', async () => {
    const answer = await call('POST', '/v1/chat/completions', keys.creator, { model: 'gpt:harbour-guide@draft', messages: [{ role: 'user', content: 'Which is the secret harbour?' }] });
    expect(answer.status, answer.text).toBe(200);
    const body = answer.json() as { model: string; choices: { message: { content: string } }[]; modelmart: { version: number; citations: { source: string }[] } };
    expect(body.choices[0]?.message.content).toBe('Port Azure [1].');
    expect(body.modelmart).toMatchObject({ version: 0, citations: [{ source: 'harbours.txt' }] });
    const sent = upstream.received.at(-1)?.body as { messages: { role: string; content: string }[] };
    expect(sent.messages[0]).toEqual({ role: 'system', content: 'You guide sailors to harbours.' });
    expect(JSON.stringify(sent.messages)).toContain('Port Azure');
  });

  it('streams the draft too', async () => {
    const answer = await call('POST', '/v1/chat/completions', keys.creator, { model: 'gpt:harbour-guide@draft', stream: true, messages: [{ role: 'user', content: 'Which is the secret harbour?' }] });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.text).toContain('"content":"Azure "');
    expect(answer.text).toContain('"version":0');
    expect(answer.text.trim().endsWith('data: [DONE]')).toBe(true);
  });

  it('refuses the draft to a key that may not edit it, and the published name until it is published', async () => {
    const stranger = await call('POST', '/v1/chat/completions', keys.stranger, { model: 'gpt:harbour-guide@draft', messages: [{ role: 'user', content: 'Hello' }] });
    // It is public, so the stranger may know it exists: 403, as for editing it (a private one is 404).
    expect(stranger.status, stranger.text).toBe(403);
    expect((stranger.json().error as { code: string }).code).toBe('permission_denied');
    const published = await call('POST', '/v1/chat/completions', keys.creator, { model: 'gpt:harbour-guide', messages: [{ role: 'user', content: 'Hello' }] });
    expect(published.status, published.text).toBe(404);
  });

  it("takes the web app's session cookie on the store's pages, where a key is optional", async () => {
    const opened = await test.server.app.inject({ method: 'POST', url: '/auth/v1/sessions', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ api_key: keys.creator }) });
    expect(opened.statusCode, opened.body).toBe(201);
    const cookie = String(opened.headers['set-cookie']).split(';')[0] ?? '';
    const csrf = (JSON.parse(opened.body) as { csrf_token: string }).csrf_token;
    const published = await call('POST', '/store/v1/gpts/harbour-guide/publish', keys.creator);
    expect(published.status, published.text).toBe(201);
    // The editor is recognised by the cookie alone...
    const page = await test.server.app.inject({ method: 'GET', url: '/store/v1/gpts/harbour-guide', headers: { cookie } });
    expect((JSON.parse(page.body) as { editable: boolean }).editable).toBe(true);
    // ...and rates it through the cookie (the previews above count as having used it).
    const rating = await test.server.app.inject({ method: 'POST', url: '/store/v1/gpts/harbour-guide/reviews', headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' }, payload: JSON.stringify({ stars: 5 }) });
    expect(rating.statusCode, rating.body).toBe(201);
    // Without the CSRF token the cookie does not count for an unsafe request.
    const forged = await test.server.app.inject({ method: 'POST', url: '/store/v1/gpts/harbour-guide/reports', headers: { cookie, 'content-type': 'application/json' }, payload: JSON.stringify({ reason: 'spam' }) });
    expect(forged.statusCode, forged.body).toBe(403);
    expect((JSON.parse(forged.body) as { error: { code: string } }).error.code).toBe('csrf_token_invalid');
  });

  it("lists the key's editable GPTs, drafts included, for the builder", async () => {
    const mine = await call('GET', '/store/v1/builders/me/gpts', keys.creator);
    expect(mine.status, mine.text).toBe(200);
    expect((mine.json().data as { slug: string; latest_version: number | null }[]).map((gpt) => [gpt.slug, gpt.latest_version])).toEqual([['harbour-guide', 1]]);
    const theirs = await call('GET', '/store/v1/builders/me/gpts', keys.stranger);
    expect(theirs.json().data).toEqual([]);
    const id = String((mine.json().data as { id: string }[])[0]?.id);
    const one = await call('GET', `/store/v1/builders/me/gpts/${id}`, keys.creator);
    expect(one.status, one.text).toBe(200);
    expect(one.json()).toMatchObject({ id, slug: 'harbour-guide', instructions: 'You guide sailors to harbours.', latest_version: 1 });
    expect((await call('GET', `/store/v1/builders/me/gpts/${id}`, keys.stranger)).status).toBe(403);
  });
});
