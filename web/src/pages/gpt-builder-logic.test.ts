import { describe, expect, it } from 'vitest';
import { ApiClient, ApiError } from '../api/api-client';
import type { GptDraft } from '../api/gpt-types';
import { actionAuth, actionTestBody, baseModelChoices, draftChanges, emptyAuthForm, fileProblem, formFromDraft, formProblems, knowledgeUploadPath, openApiActionBody, startersFromText, stillIndexing, uploadKnowledgeFile } from './gpt-builder-logic';

const draft: GptDraft = {
  id: 'gpt_1',
  slug: 'travel-helper',
  name: 'Travel Helper',
  description: 'Plans trips.',
  avatar_url: null,
  category: 'lifestyle',
  base_model: 'openai/gpt-4o-mini',
  instructions: 'Ask for dates first.',
  conversation_starters: ['Plan a weekend in Lisbon'],
  capabilities: { knowledge: true, actions: false },
  visibility: 'private',
  latest_version: null,
  published_at: null,
  updated_at: '2026-01-01T00:00:00.000Z',
};

describe('the definition form', () => {
  it('sends nothing when nothing changed', () => {
    expect(draftChanges(formFromDraft(draft), draft)).toEqual({});
  });

  it('sends only the fields that changed, in the API shape', () => {
    const form = { ...formFromDraft(draft), name: ' Trip Planner ', category: '', starters: 'One\n\n  Two  \n', capabilities: { knowledge: true, actions: true }, visibility: 'public' as const };
    expect(draftChanges(form, draft)).toEqual({ name: 'Trip Planner', category: null, conversation_starters: ['One', 'Two'], capabilities: { knowledge: true, actions: true }, visibility: 'public' });
  });

  it('finds what the API would refuse', () => {
    expect(formProblems(formFromDraft(draft))).toEqual([]);
    const bad = { ...formFromDraft(draft), name: ' ', slug: 'A', baseModel: '', starters: Array.from({ length: 11 }, (_, index) => `s${index}`).join('\n') };
    expect(formProblems(bad)).toEqual(['gpts.builder.problem.name', 'gpts.builder.problem.slug', 'gpts.builder.problem.baseModel', 'gpts.builder.problem.starters']);
  });

  it('reads starters one a line', () => {
    expect(startersFromText(' a \n\nb\n')).toEqual(['a', 'b']);
  });

  it('offers the models of the key but not GPTs, keeping the current one', () => {
    expect(baseModelChoices([{ id: 'gpt-4' }, { id: 'gpt:travel-helper' }], 'local/qwen')).toEqual(['local/qwen', 'gpt-4']);
    expect(baseModelChoices([{ id: 'gpt-4' }], 'gpt-4')).toEqual(['gpt-4']);
  });
});

describe('knowledge files', () => {
  const limits = { max_files: 20, max_file_bytes: 100, max_total_bytes: 1_000 };

  it('refuses a type or a size the API would refuse before sending it', () => {
    expect(fileProblem({ name: 'notes.TXT', size: 10 }, limits)).toBeNull();
    expect(fileProblem({ name: 'photo.png', size: 10 }, limits)).toEqual({ key: 'gpts.knowledge.problem.type', name: 'photo.png' });
    expect(fileProblem({ name: 'README', size: 10 }, limits)).toEqual({ key: 'gpts.knowledge.problem.type', name: 'README' });
    expect(fileProblem({ name: 'big.md', size: 101 }, limits)).toEqual({ key: 'gpts.knowledge.problem.size', name: 'big.md', limit: 100 });
    expect(fileProblem({ name: 'big.md', size: 101 }, undefined)).toBeNull();
  });

  it('names the file in the query', () => {
    expect(knowledgeUploadPath('gpt_1', 'my notes.md')).toBe('/store/v1/gpts/gpt_1/knowledge/files?filename=my+notes.md');
  });

  it('keeps polling while a file is neither indexed nor failed', () => {
    expect(stillIndexing([{ status: 'indexed' }, { status: 'failed' }])).toBe(false);
    expect(stillIndexing([{ status: 'indexed' }, { status: 'indexing' }])).toBe(true);
    expect(stillIndexing([])).toBe(false);
  });

  it('uploads the raw file with its type, and turns a refusal into the API error', async () => {
    const seen: { url: string; init: RequestInit | undefined }[] = [];
    const clientAnswering = (status: number, body: unknown) =>
      new ApiClient({
        getKey: () => 'mm-test-key-0000',
        fetchImplementation: async (url, init) => {
          seen.push({ url: String(url), init });
          return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', 'x-request-id': 'req_1' } });
        },
      });
    const file = Object.assign(new Blob(['The harbour is Port Azure.'], { type: 'text/plain' }), { name: 'harbour.txt' });
    const uploaded = await uploadKnowledgeFile(clientAnswering(201, { id: 'kdoc_1', status: 'indexed' }), 'gpt_1', file);
    expect(uploaded).toMatchObject({ id: 'kdoc_1', status: 'indexed' });
    expect(seen[0]?.url).toBe('/store/v1/gpts/gpt_1/knowledge/files?filename=harbour.txt');
    expect(seen[0]?.init?.headers).toMatchObject({ authorization: 'Bearer mm-test-key-0000', 'content-type': 'text/plain' });
    expect(seen[0]?.init?.body).toBe(file);
    const refusal = uploadKnowledgeFile(clientAnswering(422, { error: { message: 'The file is not UTF-8 text.', code: 'knowledge_file_unreadable', param: 'file' } }), 'gpt_1', file);
    await expect(refusal).rejects.toBeInstanceOf(ApiError);
    await expect(refusal).rejects.toMatchObject({ status: 422, code: 'knowledge_file_unreadable', requestId: 'req_1' });
    const untyped = Object.assign(new Blob(['{}']), { name: 'data.json' });
    await uploadKnowledgeFile(clientAnswering(201, { id: 'kdoc_2' }), 'gpt_1', untyped);
    expect(seen.at(-1)?.init?.headers).toMatchObject({ 'content-type': 'application/octet-stream' });
  });
});

describe('actions', () => {
  it('builds the authentication the API takes, keeping a stored secret when none is typed', () => {
    expect(actionAuth(emptyAuthForm)).toEqual({ type: 'none' });
    expect(actionAuth({ ...emptyAuthForm, type: 'bearer' })).toEqual({ type: 'bearer' });
    expect(actionAuth({ ...emptyAuthForm, type: 'api_key', keyIn: 'query', keyName: ' key ', secret: 's3' })).toEqual({ type: 'api_key', in: 'query', name: 'key', secret: 's3' });
    expect(actionAuth({ ...emptyAuthForm, type: 'oauth2_client_credentials', tokenUrl: 'https://id.example/token', clientId: 'c', scopes: 'read, write' })).toEqual({ type: 'oauth2_client_credentials', token_url: 'https://id.example/token', client_id: 'c', scopes: ['read', 'write'] });
  });

  it('sends the pasted document as it is, with a base URL only when given', () => {
    expect(openApiActionBody('openapi: 3.1.0', '', emptyAuthForm)).toEqual({ kind: 'openapi', document: 'openapi: 3.1.0', auth: { type: 'none' } });
    expect(openApiActionBody('{}', ' https://api.example.com ', emptyAuthForm)).toMatchObject({ base_url: 'https://api.example.com' });
  });

  it('takes test arguments only as a JSON object', () => {
    expect(actionTestBody('getForecast', '{"city":"Oslo"}')).toEqual({ tool: 'getForecast', arguments: { city: 'Oslo' } });
    expect(actionTestBody('getForecast', '')).toEqual({ tool: 'getForecast', arguments: {} });
    expect(actionTestBody('getForecast', '[1]')).toBeNull();
    expect(actionTestBody('getForecast', '{oops')).toBeNull();
  });
});
