import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseTargets } from '../../../test/support/test-databases.js';
import type { Principal } from '../../accounts/index.js';
import { configSchema } from '../../config/index.js';
import { ModelmartError } from '../../core/index.js';
import { GptExchange } from './gpt-exchange.js';
import { GptService } from './gpt-service.js';

const creator: Principal = {
  keyId: 'key_exporter',
  keyName: 'exporter',
  role: 'user',
  organisationId: 'org_exchange',
  projectId: 'proj_exchange',
  userId: null,
  organisationRole: 'member',
  scopes: { allowedModels: null, deniedModels: [], allowedGpts: null, ipAllowList: null, expiresAt: null },
  limits: { key: {}, project: {}, organisation: {} },
};

async function failure(promise: Promise<unknown>): Promise<ModelmartError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof ModelmartError)) throw new Error(`expected a ModelmartError, got ${String(error)}`);
  return error;
}

// A LobeChat agent-index entry as the index publishes them (fields Modelmart ignores included).
const lobeChatEntry = {
  author: 'someone',
  createdAt: '2024-01-24',
  homepage: 'https://example.org/someone',
  identifier: 'academic-writing-assistant',
  meta: {
    title: 'Academic Writing Assistant',
    description: 'Expert in academic research paper writing and formal documentation',
    avatar: '📘',
    tags: ['academic', 'writing'],
    category: 'academic',
  },
  config: {
    systemRole: 'You are an expert in academic writing. Keep a formal tone.',
    openingQuestions: ['How do I structure an abstract?', 'Check my citations'],
  },
  schemaVersion: 1,
};

describe.each(testDatabaseTargets())('GPT import and export on $name', { timeout: 60_000 }, (target) => {
  let dispose: () => Promise<void>;
  let service: GptService;
  let exchange: GptExchange;

  beforeAll(async () => {
    const opened = await target.open();
    dispose = opened.dispose;
    service = new GptService({ database: opened.database, config: configSchema.parse({}).gpts, modelExists: (name) => name !== 'missing/model' });
    exchange = new GptExchange(service);
  }, 60_000);
  afterAll(async () => dispose());

  it('round-trips a GPT through JSON and YAML into new drafts with the same definition', async () => {
    const original = await service.create(
      {
        name: 'Release Notes Writer',
        description: 'Turns commit logs into release notes.',
        avatar_url: 'https://example.org/avatar.png',
        category: 'writing',
        base_model: 'openai/gpt-4o-mini',
        instructions: 'Group changes by kind.\nKeep it short: "one line" each.',
        conversation_starters: ['Summarise these commits', 'What changed in 2.0?'],
        capabilities: { knowledge: false, actions: true },
        visibility: 'organisation',
        revenue_share_basis_points: 5_000,
      },
      creator,
    );
    await service.publish(original.slug, creator);

    const json = await exchange.exportGpt(original.slug, 'json', creator);
    expect(json.contentType).toContain('application/json');
    expect(JSON.parse(json.text)).toMatchObject({ format: 'modelmart.gpt', format_version: 1, slug: 'release-notes-writer', latest_version: 1 });
    const yaml = await exchange.exportGpt(original.slug, 'yaml', creator);
    expect(yaml.contentType).toContain('yaml');
    const withoutTime = (document: object) => ({ ...document, exported_at: undefined });
    expect(withoutTime(parseYaml(yaml.text) as object)).toEqual(withoutTime(JSON.parse(json.text) as object));

    const fromJson = await exchange.importGpt({ format: 'modelmart', document: json.text, slug: 'release-notes-json' }, creator);
    const fromYaml = await exchange.importGpt({ format: 'modelmart', document: yaml.text, slug: 'release-notes-yaml' }, creator);
    const fromObject = await exchange.importGpt({ format: 'modelmart', document: json.document, slug: 'release-notes-object' }, creator);
    const definition = ({ name, description, avatar_url, category, base_model, instructions, conversation_starters, capabilities, visibility, revenue_share_basis_points }: typeof original) =>
      ({ name, description, avatar_url, category, base_model, instructions, conversation_starters, capabilities, visibility, revenue_share_basis_points });
    for (const imported of [fromJson, fromYaml, fromObject]) {
      expect(definition(imported)).toEqual(definition(original));
      expect(imported.latest_version).toBeNull();
    }
    // The exported slug itself is taken by the original.
    expect(await failure(exchange.importGpt({ format: 'modelmart', document: json.text }, creator))).toMatchObject({ status: 409, code: 'slug_taken' });
  });

  it('imports a LobeChat agent-index entry as a draft', async () => {
    const imported = await exchange.importGpt({ format: 'lobechat', document: lobeChatEntry, base_model: 'openai/gpt-4o-mini' }, creator);
    expect(imported).toMatchObject({
      slug: 'academic-writing-assistant',
      name: 'Academic Writing Assistant',
      description: 'Expert in academic research paper writing and formal documentation',
      avatar_url: null,
      category: 'research',
      base_model: 'openai/gpt-4o-mini',
      instructions: 'You are an expert in academic writing. Keep a formal tone.',
      conversation_starters: ['How do I structure an abstract?', 'Check my citations'],
      visibility: 'private',
      latest_version: null,
    });
    const withModel = { ...lobeChatEntry, identifier: 'Coder GPT', meta: { ...lobeChatEntry.meta, category: 'programming', avatar: 'https://example.org/coder.png' }, config: { ...lobeChatEntry.config, model: 'local/qwen2.5-0.5b' } };
    expect(await exchange.importGpt({ format: 'lobechat', document: JSON.stringify(withModel) }, creator)).toMatchObject({
      slug: 'coder-gpt',
      base_model: 'local/qwen2.5-0.5b',
      category: 'programming',
      avatar_url: 'https://example.org/coder.png',
    });
  });

  it('refuses bad documents with a 400 that names the field inside the document', async () => {
    expect(await failure(exchange.importGpt({ format: 'lobechat', document: { ...lobeChatEntry, identifier: 'no-model' } }, creator))).toMatchObject({ status: 400, param: 'base_model', code: 'missing_base_model' });
    const tooMany = { ...lobeChatEntry, config: { systemRole: 'x', openingQuestions: Array.from({ length: 11 }, (_, index) => `q${index}`) } };
    expect(await failure(exchange.importGpt({ format: 'lobechat', document: tooMany, base_model: 'chat' }, creator))).toMatchObject({ status: 400, param: 'document.config.openingQuestions' });
    const untitled = { ...lobeChatEntry, meta: { description: 'no title' } };
    const missingTitle = await failure(exchange.importGpt({ format: 'lobechat', document: untitled, base_model: 'chat' }, creator));
    expect(missingTitle).toMatchObject({ status: 400, param: 'document.meta.title', code: 'invalid_document' });
    expect(missingTitle.message).toContain("'document.meta.title'");
    expect(await failure(exchange.importGpt({ format: 'modelmart', document: { name: 'N', base_model: 'm', conversation_starters: ['ok', 7] } }, creator))).toMatchObject({
      status: 400,
      param: 'document.conversation_starters[1]',
    });
    expect(await failure(exchange.importGpt({ format: 'modelmart', document: { name: 'N', base_model: 'm', colour: 'red' } }, creator))).toMatchObject({ status: 400, code: 'invalid_document' });
    expect(await failure(exchange.importGpt({ format: 'modelmart', document: 'name: [unclosed' }, creator))).toMatchObject({ status: 400, param: 'document', code: 'invalid_document' });
    expect(await failure(exchange.importGpt({ format: 'modelmart', document: { name: 'Ghost', base_model: 'missing/model' } }, creator))).toMatchObject({ status: 400, param: 'base_model' });
    expect(await failure(exchange.importGpt({ format: 'word' as 'modelmart', document: {} }, creator))).toMatchObject({ status: 400, param: 'format' });
  });
});
