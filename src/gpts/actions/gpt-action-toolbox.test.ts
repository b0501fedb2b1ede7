import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseTargets } from '../../../test/support/test-databases.js';
import { configSchema, type Config } from '../../config/index.js';
import { ModelmartError } from '../../core/index.js';
import type { Database } from '../../storage/index.js';
import { startLocalActionApi, startLocalMcpServer, thingsOpenApiDocument, type LocalActionApi, type LocalMcpServer } from './__fixtures__/local-action-servers.js';
import { GptActionService } from './gpt-action-service.js';
import { GptActionStore } from './gpt-action-store.js';
import { GptActionToolbox } from './gpt-action-toolbox.js';
import { SafeHttpClient } from './safe-http-client.js';

const encryptionKey = randomBytes(32).toString('base64');

describe.each(testDatabaseTargets())('GPT actions on $name', (target) => {
  let api: LocalActionApi;
  let mcp: LocalMcpServer;
  let database: Database;
  let dispose: () => Promise<void>;
  let config: Config;
  let toolbox: GptActionToolbox;
  let service: GptActionService;
  const context = (milliseconds = 5_000) => ({ requestId: 'req_test', deadline: Date.now() + milliseconds });

  beforeAll(async () => {
    api = await startLocalActionApi();
    mcp = await startLocalMcpServer();
    const opened = await target.open();
    database = opened.database;
    dispose = opened.dispose;
    config = configSchema.parse({ security: { encryptionKey }, gpts: { outbound: { allowList: [`127.0.0.1:${api.port}`, `127.0.0.1:${mcp.port}`], timeoutMs: 5_000 } } });
    const httpClient = new SafeHttpClient(config.gpts.outbound);
    toolbox = new GptActionToolbox({ database, config, httpClient });
    service = new GptActionService({ store: toolbox.store, executor: toolbox.executor, httpClient, config });
  });
  afterAll(async () => {
    await dispose();
    await api.close();
    await mcp.close();
  });

  it('imports an OpenAPI document and calls its operations with path, query, header and body arguments', async () => {
    const created = await service.create('gpt_plain', 'key_builder', { kind: 'openapi', document: thingsOpenApiDocument(api.origin, '3.1.0') });
    expect(created.name).toBe('Things API');
    expect(created.tools.map((tool) => tool.name)).toEqual(['getThing', 'createThing', 'slow', 'broken', 'big']);
    const snapshot = await toolbox.snapshot('gpt_plain');
    const tools = await toolbox.toolsOf(JSON.parse(JSON.stringify(snapshot)));
    expect(tools.find((tool) => tool.name === 'getThing')?.parameters).toMatchObject({ type: 'object', required: ['id'] });
    const read = await toolbox.execute(snapshot, 'getThing', JSON.stringify({ id: 7, detail: 'full', 'X-Trace': 'abc' }), context());
    expect(read.ok).toBe(true);
    expect(JSON.parse(read.content)).toEqual({ method: 'GET', path: '/things/7', query: { detail: 'full' }, trace: 'abc', body: null });
    const made = await toolbox.execute(snapshot, 'createThing', JSON.stringify({ body: { name: 'lamp', size: 3 } }), context());
    expect(JSON.parse(made.content)).toMatchObject({ method: 'POST', body: { name: 'lamp', size: 3 } });
    expect(api.seen.at(-1)?.headers['content-type']).toBe('application/json');
  });

  it('returns arguments that fail the schema to the model as a tool error with the schema errors', async () => {
    const snapshot = await toolbox.snapshot('gpt_plain');
    const wrong = await toolbox.execute(snapshot, 'createThing', JSON.stringify({ body: { name: '', colour: 'red' } }), context());
    expect(wrong.ok).toBe(false);
    expect(wrong.error?.code).toBe('invalid_arguments');
    const content = JSON.parse(wrong.content) as { errors: { path: string; message: string }[] };
    expect(content.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: '/body/name' }), expect.objectContaining({ path: '/body', message: 'must NOT have additional properties' })]));
    const missing = await toolbox.execute(snapshot, 'getThing', '{"detail":"medium"}', context());
    expect(missing.error?.code).toBe('invalid_arguments');
    expect(missing.content).toContain("must have required property 'id'");
    expect(missing.content).toContain('must be equal to one of the allowed values');
    const notJson = await toolbox.execute(snapshot, 'getThing', '{id: 1', context());
    expect(notJson.error?.code).toBe('invalid_arguments');
    expect(notJson.content).toContain('not valid JSON');
    const unknown = await toolbox.execute(snapshot, 'noSuchTool', '{}', context());
    expect(unknown.error?.code).toBe('unknown_tool');
    expect(unknown.content).toContain('getThing');
  });

  it('answers a tool that outlives its deadline with tool_timeout, and an HTTP error with its status and body', async () => {
    const snapshot = await toolbox.snapshot('gpt_plain');
    const started = Date.now();
    const slow = await toolbox.execute(snapshot, 'slow', '', context(300));
    expect(slow.ok).toBe(false);
    expect(slow.error?.code).toBe('tool_timeout');
    expect(Date.now() - started).toBeLessThan(3_000);
    const broken = await toolbox.execute(snapshot, 'broken', '{}', context());
    expect(broken.ok).toBe(false);
    expect(broken.error?.code).toBe('http_error');
    expect(broken.content).toContain('HTTP 500');
    expect(broken.content).toContain('the database is on fire');
    const big = await toolbox.execute(snapshot, 'big', '{}', context());
    expect(big.ok).toBe(true);
    expect(big.content.length).toBeLessThan(100_200);
    expect(big.content).toContain('it has 150000 characters, 100000 are shown');
  });

  it('refuses a destination outside the allow list as a tool result', async () => {
    const elsewhere = thingsOpenApiDocument('http://127.0.0.1:9');
    await service.create('gpt_refused', 'key_builder', { kind: 'openapi', document: elsewhere });
    const metadata = thingsOpenApiDocument('http://169.254.169.254');
    await service.create('gpt_refused', 'key_builder', { kind: 'openapi', document: metadata });
    const snapshot = await toolbox.snapshot('gpt_refused');
    const names = (await toolbox.toolsOf(snapshot)).map((tool) => tool.name);
    expect(names).toContain('getThing_2');
    for (const name of ['getThing', 'getThing_2']) {
      const refused = await toolbox.execute(snapshot, name, '{"id":1}', context());
      expect(refused.ok).toBe(false);
      expect(refused.error?.code).toBe('destination_not_allowed');
    }
  });

  it('puts each kind of credential where the action says, fetching and caching the OAuth token', async () => {
    const document = thingsOpenApiDocument(api.origin);
    await service.create('gpt_auth', 'key_builder', { kind: 'openapi', name: 'header key', document, auth: { type: 'api_key', in: 'header', name: 'X-Api-Key', secret: 'header-secret' } });
    await service.create('gpt_auth', 'key_builder', { kind: 'openapi', name: 'query key', document, auth: { type: 'api_key', in: 'query', name: 'api_key', secret: 'query-secret' } });
    await service.create('gpt_auth', 'key_builder', { kind: 'openapi', name: 'bearer', document, auth: { type: 'bearer', secret: 'bearer-secret' } });
    const oauth = await service.create('gpt_auth', 'key_builder', {
      kind: 'openapi',
      name: 'oauth',
      document,
      auth: { type: 'oauth2_client_credentials', token_url: `${api.origin}/oauth/token`, client_id: 'client-1', scopes: ['things.read', 'things.write'], secret: 'client-secret-1' },
    });
    const snapshot = await toolbox.snapshot('gpt_auth');
    const call = async (tool: string) => {
      const result = await toolbox.execute(snapshot, tool, '{"id":1}', context());
      expect(result.ok).toBe(true);
      return api.seen.at(-1);
    };
    expect((await call('getThing'))?.headers['x-api-key']).toBe('header-secret');
    expect((await call('getThing_2'))?.query.get('api_key')).toBe('query-secret');
    expect((await call('getThing_3'))?.headers.authorization).toBe('Bearer bearer-secret');
    expect((await call('getThing_4'))?.headers.authorization).toBe('Bearer token-1');
    expect((await call('getThing_4'))?.headers.authorization).toBe('Bearer token-1');
    expect(api.tokenRequests).toHaveLength(1);
    expect(api.tokenRequests[0]?.body).toBe('grant_type=client_credentials&scope=things.read+things.write');

    // A rotated secret is used by the published snapshot at once; a wrong one fails as a tool result.
    await service.update('gpt_auth', oauth.id, { secret: 'wrong-secret' });
    const refused = await toolbox.execute(snapshot, 'getThing_4', '{"id":1}', context());
    expect(refused.ok).toBe(false);
    expect(refused.error?.code).toBe('oauth_token_failed');
    await service.update('gpt_auth', oauth.id, { secret: 'client-secret-1' });
    expect((await call('getThing_4'))?.headers.authorization).toBe('Bearer token-1');
  });

  it('never shows a secret and stores it encrypted', async () => {
    const created = await service.create('gpt_secret', 'key_builder', { kind: 'openapi', document: thingsOpenApiDocument(api.origin), auth: { type: 'bearer', secret: 'plain-bearer-secret-4242' } });
    const shown = JSON.stringify([created, await service.get('gpt_secret', created.id), await service.list('gpt_secret'), await toolbox.snapshot('gpt_secret')]);
    expect(shown).not.toContain('plain-bearer-secret-4242');
    expect(created.hasSecret).toBe(true);
    const rows = await database.kysely.selectFrom('gpt_action_secrets').selectAll().where('action_id', '=', created.id).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.ciphertext).not.toContain('plain-bearer-secret-4242');
    expect(Buffer.from(rows[0]?.ciphertext ?? '', 'base64').toString('utf8')).not.toBe('plain-bearer-secret-4242');
    const actionRows = await database.kysely.selectFrom('gpt_actions').selectAll().where('id', '=', created.id).execute();
    expect(JSON.stringify(actionRows)).not.toContain('plain-bearer-secret-4242');

    const withoutKey = new GptActionStore({ database, security: { previousEncryptionKeys: [] } });
    const error = await withoutKey.insert({ gptId: 'g', kind: 'openapi', name: 'n', definition: { kind: 'mcp', url: 'http://x.example/', serverName: null, tools: [] }, auth: { type: 'bearer' }, createdByKeyId: 'k' }, 's').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ModelmartError);
    expect((error as ModelmartError).message).toContain('MODELMART_ENCRYPTION_KEY');

    await service.update('gpt_secret', created.id, { auth: { type: 'none' } });
    expect((await service.get('gpt_secret', created.id)).hasSecret).toBe(false);
    expect(await database.kysely.selectFrom('gpt_action_secrets').selectAll().where('action_id', '=', created.id).execute()).toHaveLength(0);
  });

  it('lists the tools of an MCP server and calls them through the safe client with the credential', async () => {
    const created = await service.create('gpt_mcp', 'key_builder', { kind: 'mcp', url: mcp.url, auth: { type: 'bearer', secret: 'mcp-token' } });
    expect(created.name).toBe('local-test-mcp');
    expect(created.tools.map((tool) => tool.name)).toEqual(['add', 'explode', 'dawdle']);
    expect(created.tools[0]?.parameters).toMatchObject({ type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } } });
    expect(created.tools[0]?.parameters).not.toHaveProperty('$schema');
    const snapshot = await toolbox.snapshot('gpt_mcp');
    const sum = await toolbox.execute(snapshot, 'add', '{"a":2,"b":40}', context());
    expect(sum).toMatchObject({ ok: true, content: '42' });
    const failed = await toolbox.execute(snapshot, 'explode', '{}', context());
    expect(failed).toMatchObject({ ok: false, content: 'it exploded', error: { code: 'tool_error' } });
    const slow = await toolbox.execute(snapshot, 'dawdle', '{}', context(400));
    expect(slow).toMatchObject({ ok: false, error: { code: 'tool_timeout' } });
    expect(slow.durationMilliseconds).toBeLessThan(1_500);
    const wrong = await toolbox.execute(snapshot, 'add', '{"a":"two"}', context());
    expect(wrong.error?.code).toBe('invalid_arguments');
    expect(mcp.authorizations.length).toBeGreaterThan(0);
    expect(mcp.authorizations.every((value) => value === 'Bearer mcp-token')).toBe(true);
  });

  it('refuses an MCP server outside the allow list when the action is created', async () => {
    const error = await service.create('gpt_mcp', 'key_builder', { kind: 'mcp', url: 'http://localhost:1/mcp' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ModelmartError);
    expect((error as ModelmartError).code).toBe('destination_not_allowed');
  });
});
