import Fastify, { type FastifyInstance } from 'fastify';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseTargets } from '../../../test/support/test-databases.js';
import { ApiKeyService, AuditLog, localOperator, OrganisationService } from '../../accounts/index.js';
import { configSchema } from '../../config/index.js';
import { GptService } from '../../gpts/index.js';
import { installErrorHandling } from '../error-handler.js';
import { createAuthenticationHook } from '../middleware/authentication.js';
import { decorateAuditLog } from './admin-audit-recording.js';
import { registerStoreGptRoutes } from './store-gpt-routes.js';

interface ErrorReply {
  error: { code: string | null; param: string | null; message: string };
}

describe.each(testDatabaseTargets())('store GPT routes on $name', { timeout: 60_000 }, (target) => {
  let app: FastifyInstance;
  let auditLog: AuditLog;
  let dispose: () => Promise<void>;
  const keys = { creator: '', colleague: '', owner: '', stranger: '', admin: '' };

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, key: string, payload?: object) =>
    app.inject({ method, url, headers: { authorization: `Bearer ${key}` }, ...(payload === undefined ? {} : { payload }) });

  beforeAll(async () => {
    const opened = await target.open();
    dispose = opened.dispose;
    const apiKeys = new ApiKeyService(opened.database);
    await apiKeys.initialise();
    const organisations = new OrganisationService(opened.database, apiKeys);
    const acme = await organisations.createOrganisation({ name: 'Acme' }, localOperator);
    const other = await organisations.createOrganisation({ name: 'Other' }, localOperator);
    const creatorUser = await organisations.addMember(acme.id, { email: 'maker@acme.test' }, localOperator);
    const ownerUser = await organisations.addMember(acme.id, { email: 'boss@acme.test', role: 'owner' }, localOperator);
    keys.creator = (await apiKeys.createKey({ name: 'maker', organisation_id: acme.id, user_id: creatorUser.id })).key;
    keys.colleague = (await apiKeys.createKey({ name: 'colleague', organisation_id: acme.id })).key;
    keys.owner = (await apiKeys.createKey({ name: 'boss', organisation_id: acme.id, user_id: ownerUser.id })).key;
    keys.stranger = (await apiKeys.createKey({ name: 'stranger', organisation_id: other.id })).key;
    keys.admin = (await apiKeys.createKey({ name: 'root', role: 'admin' })).key;

    const gpts = new GptService({ database: opened.database, config: configSchema.parse({}).gpts, modelExists: (name) => name.startsWith('openai/') || name === 'chat-default' });
    auditLog = new AuditLog(opened.database);
    app = Fastify();
    installErrorHandling(app, 1_048_576);
    decorateAuditLog(app, auditLog);
    void app.register(async (scope) => {
      scope.addHook('onRequest', createAuthenticationHook(apiKeys, { adminOnly: false }));
      registerStoreGptRoutes(scope, { gpts });
    });
    await app.ready();
  }, 60_000);
  afterAll(async () => {
    await app.close();
    await dispose();
  });

  it('creates, edits, publishes and pins versions through the API, and audits each change', async () => {
    expect((await app.inject({ method: 'POST', url: '/store/v1/gpts', payload: { name: 'x', base_model: 'chat-default' } })).statusCode).toBe(401);
    const created = await call('POST', '/store/v1/gpts', keys.creator, {
      name: 'Support Bot',
      base_model: 'openai/gpt-4o-mini',
      instructions: 'Answer support questions.',
      visibility: 'organisation',
      category: 'productivity',
      conversation_starters: ['Reset my password'],
    });
    expect(created.statusCode).toBe(201);
    const gpt = created.json<{ id: string; slug: string }>();
    expect(created.json()).toMatchObject({ object: 'gpt', slug: 'support-bot', visibility: 'organisation', latest_version: null, revenue_share_basis_points: 7_000 });

    const taken = await call('POST', '/store/v1/gpts', keys.stranger, { name: 'Mine', slug: 'support-bot', base_model: 'chat-default' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json<ErrorReply>().error).toMatchObject({ code: 'slug_taken' });
    expect(taken.json<ErrorReply>().error.message).toContain('support-bot');
    const unknownModel = await call('POST', '/store/v1/gpts', keys.creator, { name: 'Nope', base_model: 'nobody/none' });
    expect(unknownModel.statusCode).toBe(400);
    expect(unknownModel.json<ErrorReply>().error.param).toBe('base_model');
    const badField = await call('POST', '/store/v1/gpts', keys.creator, { name: 'Bad', base_model: 'chat-default', visibility: 'everyone' });
    expect(badField.json<ErrorReply>().error).toMatchObject({ param: 'visibility' });

    // Unpublished: only its editors see the page.
    expect((await call('GET', '/store/v1/gpts/support-bot', keys.colleague)).statusCode).toBe(404);
    const draftPage = await call('GET', '/store/v1/gpts/support-bot', keys.creator);
    expect(draftPage.json()).toMatchObject({ object: 'gpt.page', editable: true, published: null, versions: [], draft: { instructions: 'Answer support questions.' } });

    const first = await call('POST', '/store/v1/gpts/support-bot/publish', keys.creator);
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ object: 'gpt.version', version: 1, instructions: 'Answer support questions.' });
    const patched = await call('PATCH', '/store/v1/gpts/support-bot', keys.creator, { instructions: 'Answer politely.', conversation_starters: [] });
    expect(patched.json()).toMatchObject({ instructions: 'Answer politely.', conversation_starters: [], latest_version: 1 });
    expect((await call('PATCH', '/store/v1/gpts/support-bot', keys.creator, { colour: 'blue' })).statusCode).toBe(400);

    // A colleague sees the published page without the instructions or the draft, and may not edit.
    const page = await call('GET', '/store/v1/gpts/support-bot', keys.colleague);
    expect(page.statusCode).toBe(200);
    expect(page.json()).toMatchObject({ editable: false, latest_version: 1, published: { version: 1, name: 'Support Bot', conversation_starters: ['Reset my password'] } });
    expect(page.json<Record<string, unknown>>().draft).toBeUndefined();
    expect(page.body).not.toContain('Answer');
    const denied = await call('PATCH', '/store/v1/gpts/support-bot', keys.colleague, { name: 'Mine' });
    expect(denied.statusCode).toBe(403);
    expect(denied.json<ErrorReply>().error.code).toBe('permission_denied');
    // Another tenant cannot tell an organisation-only GPT exists.
    for (const [method, url] of [['GET', '/store/v1/gpts/support-bot'], ['GET', '/store/v1/gpts/support-bot/versions'], ['POST', '/store/v1/gpts/support-bot/publish'], ['DELETE', '/store/v1/gpts/support-bot']] as const) {
      const reply = await call(method, url, keys.stranger);
      expect(reply.statusCode, `${method} ${url}`).toBe(404);
      expect(reply.json<ErrorReply>().error.code).toBe('gpt_not_found');
    }

    const second = await call('POST', '/store/v1/gpts/support-bot/publish', keys.owner);
    expect(second.json()).toMatchObject({ version: 2 });
    const versions = await call('GET', '/store/v1/gpts/support-bot/versions', keys.colleague);
    expect(versions.json<{ data: { version: number }[] }>().data.map((version) => version.version)).toEqual([2, 1]);
    const pinned = await call('GET', '/store/v1/gpts/support-bot/versions/1', keys.creator);
    expect(pinned.json()).toMatchObject({ version: 1, instructions: 'Answer support questions.', conversation_starters: ['Reset my password'] });
    expect((await call('GET', '/store/v1/gpts/support-bot/versions/2', keys.creator)).json()).toMatchObject({ instructions: 'Answer politely.' });
    expect((await call('GET', '/store/v1/gpts/support-bot/versions/3', keys.creator)).statusCode).toBe(404);
    expect((await call('GET', '/store/v1/gpts/support-bot/versions/first', keys.creator)).json<ErrorReply>().error.param).toBe('version');

    const entries = await auditLog.list({ targetId: gpt.id });
    expect(entries.data.map((entry) => entry.action).sort()).toEqual(['gpt.create', 'gpt.publish', 'gpt.publish', 'gpt.update']);
    expect(entries.data.every((entry) => entry.organisation_id !== null)).toBe(true);

    const deleted = await call('DELETE', '/store/v1/gpts/support-bot', keys.admin);
    expect(deleted.json()).toEqual({ object: 'gpt.deleted', id: gpt.id, slug: 'support-bot', deleted: true });
    expect((await call('GET', '/store/v1/gpts/support-bot', keys.creator)).statusCode).toBe(404);
    expect((await auditLog.list({ targetId: gpt.id, action: 'gpt.delete' })).data).toHaveLength(1);
  });

  it('exports a GPT as JSON and YAML and imports it back, and imports a LobeChat entry', async () => {
    await call('POST', '/store/v1/gpts', keys.creator, { name: 'Exportable', base_model: 'chat-default', instructions: 'Be brief.', conversation_starters: ['Hello'] });
    const json = await call('GET', '/store/v1/gpts/exportable/export', keys.creator);
    expect(json.statusCode).toBe(200);
    expect(json.headers['content-type']).toContain('application/json');
    expect(json.headers['content-disposition']).toContain('exportable.gpt.json');
    expect(json.json()).toMatchObject({ format: 'modelmart.gpt', slug: 'exportable', instructions: 'Be brief.', latest_version: null });
    const yaml = await call('GET', '/store/v1/gpts/exportable/export?format=yaml', keys.creator);
    expect(yaml.headers['content-type']).toContain('yaml');
    expect(parseYaml(yaml.body)).toMatchObject({ slug: 'exportable', conversation_starters: ['Hello'] });
    expect((await call('GET', '/store/v1/gpts/exportable/export?format=xml', keys.creator)).json<ErrorReply>().error.param).toBe('format');
    // The export holds the instructions, so only editors may take it.
    expect((await call('GET', '/store/v1/gpts/exportable/export', keys.colleague)).statusCode).toBe(403);

    const imported = await call('POST', '/store/v1/gpts/import', keys.stranger, { format: 'modelmart', document: yaml.body, slug: 'exportable-copy' });
    expect(imported.statusCode).toBe(201);
    expect(imported.json()).toMatchObject({ slug: 'exportable-copy', instructions: 'Be brief.', conversation_starters: ['Hello'], latest_version: null });

    const lobeChat = await call('POST', '/store/v1/gpts/import', keys.stranger, {
      format: 'lobechat',
      base_model: 'chat-default',
      document: { identifier: 'email-polisher', meta: { title: 'Email Polisher', description: 'Polishes emails', avatar: '✉️', tags: ['email'], category: 'copywriting' }, config: { systemRole: 'Polish the email.', openingQuestions: ['Polish this'] } },
    });
    expect(lobeChat.statusCode).toBe(201);
    expect(lobeChat.json()).toMatchObject({ slug: 'email-polisher', name: 'Email Polisher', category: 'writing', instructions: 'Polish the email.' });
    const invalid = await call('POST', '/store/v1/gpts/import', keys.stranger, { format: 'lobechat', base_model: 'chat-default', document: { identifier: 'x', meta: {}, config: {} } });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json<ErrorReply>().error.param).toBe('document.meta.title');
  });
});
