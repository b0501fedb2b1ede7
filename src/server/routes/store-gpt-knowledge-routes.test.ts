import { Readable } from 'node:stream';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseTargets } from '../../../test/support/test-databases.js';
import { ApiKeyService, type Principal } from '../../accounts/index.js';
import { configSchema } from '../../config/index.js';
import { notFound, permissionDenied } from '../../core/index.js';
import { encryptedPdf, minimalPdf } from '../../gpts/knowledge/__fixtures__/knowledge-file-fixtures.js';
import { KnowledgeService, KnowledgeSourceService, SafeHttpClient } from '../../gpts/index.js';
import { installErrorHandling } from '../error-handler.js';
import { createAuthenticationHook } from '../middleware/authentication.js';
import { registerStoreGptKnowledgeRoutes, registerStoreGptKnowledgeWebhookRoute } from './store-gpt-knowledge-routes.js';

interface ErrorBody {
  error: { message: string; param: string | null; code: string | null };
}

describe.each(testDatabaseTargets())('/store/v1/gpts/{gpt}/knowledge on $name', (target) => {
  let app: FastifyInstance;
  let dispose: () => Promise<void>;
  let builderKey: string;
  let strangerKey: string;
  const maxFileBytes = 2_000;

  beforeAll(async () => {
    const opened = await target.open();
    dispose = opened.dispose;
    const config = configSchema.parse({ gpts: { knowledge: { maxFileBytes }, outbound: { allowList: ['127.0.0.1'] } } });
    const apiKeys = new ApiKeyService(opened.database);
    await apiKeys.initialise();
    const builder = await apiKeys.createKey({ name: 'builder', role: 'user' });
    const stranger = await apiKeys.createKey({ name: 'stranger', role: 'user' });
    builderKey = builder.key;
    strangerKey = stranger.key;
    const knowledge = new KnowledgeService({ database: opened.database, config: config.gpts.knowledge });
    const sources = new KnowledgeSourceService({ database: opened.database, knowledge, http: new SafeHttpClient(config.gpts.outbound), config: config.gpts.knowledge });
    // The definitions' GptService provides this in the server: only the builder's key edits "atlas".
    const requireEditable = async (reference: string, principal: Principal) => {
      if (reference !== 'atlas' && reference !== 'gpt_atlas') throw notFound(`No GPT ${JSON.stringify(reference)}.`, 'gpt_not_found');
      if (principal.keyId !== builder.record.id) throw permissionDenied('Only its creator may edit this GPT.');
      return { id: 'gpt_atlas' };
    };
    app = Fastify();
    installErrorHandling(app, 1024 * 1024);
    await app.register(async (scope) => {
      scope.addHook('onRequest', createAuthenticationHook(apiKeys, { adminOnly: false }));
      registerStoreGptKnowledgeRoutes(scope, { knowledge, sources, requireEditable, maxFileBytes });
    });
    await app.register(async (scope) => registerStoreGptKnowledgeWebhookRoute(scope, { sources }));
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await dispose();
  });

  const auth = (key = builderKey) => ({ authorization: `Bearer ${key}` });
  const upload = (filename: string | undefined, body: Buffer | string, contentType = 'application/octet-stream', key = builderKey) =>
    app.inject({
      method: 'POST',
      url: `/store/v1/gpts/atlas/knowledge/files${filename === undefined ? '' : `?filename=${encodeURIComponent(filename)}`}`,
      headers: { ...auth(key), 'content-type': contentType },
      payload: body,
    });

  it('uploads raw files of any content type (JSON too), lists, searches and deletes them', async () => {
    const text = await upload('capitals.txt', 'Canberra is the capital of Australia. Ottawa is the capital of Canada.', 'text/plain');
    expect(text.statusCode).toBe(201);
    expect(text.json()).toMatchObject({ object: 'gpt.knowledge.document', gpt_id: 'gpt_atlas', title: 'capitals.txt', status: 'indexed', chunk_count: 1 });
    const json = await upload('rivers.json', JSON.stringify({ longest: 'Nile', widest: 'Amazon' }), 'application/json');
    expect(json.statusCode).toBe(201);
    const pdf = await upload('mountains.pdf', minimalPdf(['Everest is the highest mountain above sea level.']));
    expect(pdf.statusCode).toBe(201);

    const listed = await app.inject({ method: 'GET', url: '/store/v1/gpts/gpt_atlas/knowledge/files', headers: auth() });
    expect(listed.json<{ data: { source: string }[] }>().data.map((file) => file.source).sort()).toEqual(['capitals.txt', 'mountains.pdf', 'rivers.json']);

    const search = await app.inject({ method: 'GET', url: `/store/v1/gpts/atlas/knowledge/search?q=${encodeURIComponent(`what's the "capital" of Canada (AND NEAR)?`)}&limit=2`, headers: auth() });
    expect(search.statusCode).toBe(200);
    expect(search.json<{ data: { title: string; source: string; date: string; text: string }[] }>().data[0]).toMatchObject({ object: 'gpt.knowledge.passage', title: 'capitals.txt', source: 'capitals.txt', date: expect.any(String) });

    const status = await app.inject({ method: 'GET', url: '/store/v1/gpts/atlas/knowledge', headers: auth() });
    expect(status.json()).toMatchObject({ object: 'gpt.knowledge', files: 3, chunks: 3, retrieval: 'full_text', vector_search: { available: false, reason: expect.stringContaining('embeddings model') } });

    const removed = await app.inject({ method: 'DELETE', url: `/store/v1/gpts/atlas/knowledge/files/${text.json<{ id: string }>().id}`, headers: auth() });
    expect(removed.json()).toEqual({ object: 'gpt.knowledge.document', id: text.json<{ id: string }>().id, deleted: true });
    const again = await app.inject({ method: 'GET', url: '/store/v1/gpts/atlas/knowledge/search?q=Canberra', headers: auth() });
    expect(again.json<{ data: unknown[] }>().data).toEqual([]);
  });

  it('answers bad uploads with clear errors and stores nothing of them', async () => {
    const oversize = await upload('big.txt', Buffer.alloc(maxFileBytes + 1, 'x'));
    expect(oversize.statusCode).toBe(413);
    expect(oversize.json<ErrorBody>().error).toMatchObject({ code: 'knowledge_limit_exceeded', param: 'file' });
    expect(oversize.json<ErrorBody>().error.message).toContain(`at most ${maxFileBytes} bytes`);
    // Without a Content-Length the upload is cut off while it streams.
    const streamed = await app.inject({
      method: 'POST',
      url: '/store/v1/gpts/atlas/knowledge/files?filename=stream.txt',
      headers: { ...auth(), 'content-type': 'text/plain' },
      payload: Readable.from([Buffer.alloc(1_500, 'y'), Buffer.alloc(1_500, 'z')]),
    });
    expect(streamed.statusCode).toBe(413);
    expect(streamed.json<ErrorBody>().error.code).toBe('knowledge_limit_exceeded');
    const encrypted = await upload('secret.pdf', encryptedPdf(['top secret']));
    expect(encrypted.statusCode).toBe(422);
    expect(encrypted.json<ErrorBody>().error).toMatchObject({ code: 'knowledge_file_unreadable' });
    const unknown = await upload('photo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    expect(unknown.statusCode).toBe(415);
    expect(unknown.json<ErrorBody>().error.code).toBe('unsupported_file_type');
    const unnamed = await upload(undefined, 'text');
    expect(unnamed.statusCode).toBe(400);
    expect(unnamed.json<ErrorBody>().error.message).toContain('filename');
    const empty = await upload('empty.txt', '');
    expect(empty.statusCode).toBe(400);
    const stranger = await upload('intruder.txt', 'not yours', 'text/plain', strangerKey);
    expect(stranger.statusCode).toBe(403);
    const noKey = await app.inject({ method: 'POST', url: '/store/v1/gpts/atlas/knowledge/files?filename=a.txt', payload: 'x', headers: { 'content-type': 'text/plain' } });
    expect(noKey.statusCode).toBe(401);
    const files = await app.inject({ method: 'GET', url: '/store/v1/gpts/atlas/knowledge/files', headers: auth() });
    expect(files.json<{ data: { source: string }[] }>().data.map((file) => file.source)).not.toContain('secret.pdf');
    const badSearch = await app.inject({ method: 'GET', url: '/store/v1/gpts/atlas/knowledge/search', headers: auth() });
    expect(badSearch.statusCode).toBe(400);
  });

  it('creates sources; a webhook shows its secret once and takes pushes with it, without an API key', async () => {
    const feed = await app.inject({ method: 'POST', url: '/store/v1/gpts/atlas/knowledge/sources', headers: auth(), payload: { kind: 'feed', url: 'https://news.example.com/feed.xml', poll_interval_seconds: 600 } });
    expect(feed.statusCode).toBe(201);
    expect(feed.json()).toMatchObject({ object: 'gpt.knowledge.source', kind: 'feed', poll_interval_seconds: 600, status: 'active', next_poll_at: expect.any(String) });
    const invalid = await app.inject({ method: 'POST', url: '/store/v1/gpts/atlas/knowledge/sources', headers: auth(), payload: { kind: 'feed', url: 'ftp://example.com/feed' } });
    expect(invalid.statusCode).toBe(400);
    const tooOften = await app.inject({ method: 'POST', url: '/store/v1/gpts/atlas/knowledge/sources', headers: auth(), payload: { kind: 'url', url: 'https://example.com/', poll_interval_seconds: 2 } });
    expect(tooOften.json<ErrorBody>().error.param).toBe('poll_interval_seconds');

    const created = await app.inject({ method: 'POST', url: '/store/v1/gpts/atlas/knowledge/sources', headers: auth(), payload: { kind: 'webhook', title: 'Field reports' } });
    const webhook = created.json<{ id: string; secret: string }>();
    expect(webhook.secret).toMatch(/^whsec_/);
    const listed = await app.inject({ method: 'GET', url: '/store/v1/gpts/atlas/knowledge/sources', headers: auth() });
    expect(listed.json<{ data: unknown[] }>().data).toHaveLength(2);
    expect(listed.body).not.toContain(webhook.secret);

    const pushUrl = `/store/v1/gpts/atlas/knowledge/sources/${webhook.id}/documents`;
    const document = { title: 'Glacier report', text: 'The Aletsch glacier retreated fifty metres this year.', published_at: '2025-09-01T00:00:00Z' };
    const wrong = await app.inject({ method: 'POST', url: pushUrl, headers: { authorization: 'Bearer whsec_not-it' }, payload: document });
    expect(wrong.statusCode).toBe(401);
    const apiKeyInstead = await app.inject({ method: 'POST', url: pushUrl, headers: auth(), payload: document });
    expect(apiKeyInstead.statusCode).toBe(401);
    const pushed = await app.inject({ method: 'POST', url: pushUrl, headers: { authorization: `Bearer ${webhook.secret}` }, payload: document });
    expect(pushed.statusCode).toBe(201);
    expect(pushed.json<{ data: { title: string; published_at: string }[] }>().data[0]).toMatchObject({ title: 'Glacier report', published_at: '2025-09-01T00:00:00.000Z' });
    const found = await app.inject({ method: 'GET', url: '/store/v1/gpts/atlas/knowledge/search?q=glacier', headers: auth() });
    expect(found.json<{ data: { title: string; date: string }[] }>().data[0]).toMatchObject({ title: 'Glacier report', date: '2025-09-01T00:00:00.000Z' });
    const badBody = await app.inject({ method: 'POST', url: pushUrl, headers: { authorization: `Bearer ${webhook.secret}` }, payload: { title: 'no text' } });
    expect(badBody.statusCode).toBe(400);

    const deleted = await app.inject({ method: 'DELETE', url: `/store/v1/gpts/atlas/knowledge/sources/${webhook.id}`, headers: auth() });
    expect(deleted.json()).toEqual({ object: 'gpt.knowledge.source', id: webhook.id, deleted: true });
    const gone = await app.inject({ method: 'GET', url: '/store/v1/gpts/atlas/knowledge/search?q=glacier', headers: auth() });
    expect(gone.json<{ data: unknown[] }>().data).toEqual([]);
    const missing = await app.inject({ method: 'GET', url: `/store/v1/gpts/atlas/knowledge/sources/${webhook.id}`, headers: auth() });
    expect(missing.statusCode).toBe(404);
  });
});
