// The runner's loop against a real router and a local upstream replaying recorded tool-calling
// answers; the resolver, retriever and toolbox are small in-file implementations of the contracts.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Principal } from '../../accounts/index.js';
import { configSchema, type Config } from '../../config/index.js';
import { createLogger, ModelmartError } from '../../core/index.js';
import { createProviderRegistry, type ProviderRegistry } from '../../providers/registry.js';
import { createRouter, type Router } from '../../routing/index.js';
import type { GptResolver, GptToolbox, KnowledgeRetriever, PublishedGpt, RetrievedPassage, ToolExecutionContext } from '../gpt-contracts.js';
import { startRecordedUpstream, toolThenText, type RecordedUpstream } from './__fixtures__/recorded-tool-calling-upstream.js';
import { chatCompletionOf, closingChunks } from './gpt-run-answer.js';
import type { GptRunContext, GptRunEvent, GptStepAdmissionRequest } from './gpt-run-types.js';
import { GptRunner } from './gpt-runner.js';

const principal: Principal = {
  keyId: 'key_caller',
  keyName: 'caller',
  role: 'user',
  organisationId: 'org_caller',
  projectId: 'proj_caller',
  userId: null,
  organisationRole: 'member',
  scopes: { allowedModels: null, deniedModels: [], allowedGpts: null, ipAllowList: null, expiresAt: null },
  limits: { key: {}, project: {}, organisation: {} },
};

const weatherGpt: PublishedGpt = {
  gptId: 'gpt_weather',
  slug: 'weather',
  version: 3,
  name: 'Weather',
  description: 'Tells the weather.',
  category: null,
  baseModel: 'recorded/gpt-4o-mini',
  instructions: 'You are a weather assistant.',
  conversationStarters: [],
  capabilities: { knowledge: true, actions: true },
  visibility: 'public',
  ownerOrganisationId: 'org_creator',
  ownerProjectId: 'proj_creator',
  creatorUserId: null,
  creatorKeyId: 'key_creator',
  revenueShareBasisPoints: 7_000,
  actionsSnapshot: { tools: ['get_weather'] },
  publishedAt: '2026-11-28T12:00:00.000Z',
};

const passage: RetrievedPassage = { chunkId: 'chk_1', documentId: 'doc_1', text: 'Paris is usually sunny in June.', title: 'Climate notes', source: 'climate.md', date: '2026-06-01', score: 1 };

const resolver: GptResolver = {
  resolvePublished: (reference) => {
    if (reference === 'weather' || reference === 'weather@3') return Promise.resolve(weatherGpt);
    if (reference === 'orphan') return Promise.resolve({ ...weatherGpt, slug: 'orphan', baseModel: 'gone/model' });
    return Promise.reject(new ModelmartError(404, `No GPT '${reference}'.`, { code: 'gpt_not_found' }));
  },
};
const retriever: KnowledgeRetriever = { retrieve: () => Promise.resolve([passage]) };

/** Answers get_weather at once, or never when `hang` is set (a tool that ignores its timeout). */
function toolbox(behaviour: { hang?: boolean; calls: string[] }): GptToolbox {
  return {
    snapshot: () => Promise.resolve({}),
    toolsOf: () => Promise.resolve([{ name: 'get_weather', description: 'The weather in a city.', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }]),
    execute: (_snapshot: unknown, name: string, argumentsJson: string, context: ToolExecutionContext) => {
      behaviour.calls.push(`${name}(${argumentsJson}) by ${context.requestId}`);
      if (behaviour.hang === true) return new Promise(() => undefined);
      return Promise.resolve({ ok: true, content: '{"forecast":"sunny","celsius":24}', durationMilliseconds: 1 });
    },
  };
}

describe('the GPT runner loop', () => {
  let upstream: RecordedUpstream;
  let providers: ProviderRegistry;
  let router: Router;
  let config: Config;
  const admitted: GptStepAdmissionRequest[] = [];
  const settled: string[] = [];

  beforeAll(async () => {
    upstream = await startRecordedUpstream();
    config = configSchema.parse({
      providers: [{ id: 'recorded', type: 'openai-compatible', baseUrl: upstream.baseUrl, models: ['gpt-4o-mini'] }],
      gpts: { runner: { maxSteps: 3, deadlineMs: 10_000 }, outbound: { timeoutMs: 200 } },
    });
    const logger = createLogger('silent');
    providers = createProviderRegistry(config.providers, { dataDir: '.', logger });
    router = createRouter({ config, getAdapter: (id) => providers.get(id) });
  });
  afterAll(async () => {
    await providers.close();
    await upstream.close();
  });
  beforeEach(() => {
    admitted.length = 0;
    settled.length = 0;
    upstream.received.length = 0;
    upstream.script(toolThenText);
  });

  const context: GptRunContext = {
    requestId: 'req_test',
    principal,
    admitStep: (request) => {
      admitted.push(request);
      return Promise.resolve({ onUsage: (event) => void settled.push(`${request.requestId}:${event.promptTokens}+${event.completionTokens}`), abandon: () => undefined });
    },
  };
  const runner = (behaviour: { hang?: boolean; calls: string[] }) => new GptRunner({ resolver, router, retriever, toolbox: toolbox(behaviour), config: config.gpts });
  const ask = { model: 'gpt:weather', messages: [{ role: 'system' as const, content: 'Answer briefly.' }, { role: 'user' as const, content: 'Weather in Paris?' }] };

  it('runs a tool step and answers with the cited passage, metering each model call', async () => {
    const calls: string[] = [];
    const gptRunner = runner({ calls });
    const prepared = await gptRunner.prepare('gpt:weather', principal);
    const finish = await gptRunner.run(prepared, ask, context);
    expect(calls).toEqual(['get_weather({"city":"Paris"}) by req_test.s1.call_Xv3kq9recorded']);
    expect(finish.finishReason).toBe('stop');
    expect(finish.content).toBe('The tool said: {"forecast":"sunny","celsius":24}. It is sunny in Paris [1].');
    expect(finish.usage).toMatchObject({ prompt_tokens: 84 + 131, completion_tokens: 17 + 23, total_tokens: 101 + 154 });
    expect(admitted.map((request) => [request.requestId, request.gptId, request.revenueShare])).toEqual([
      ['req_test.s1', 'gpt_weather', { creatorOrganisationId: 'org_creator', basisPoints: 7_000 }],
      ['req_test.s2', 'gpt_weather', { creatorOrganisationId: 'org_creator', basisPoints: 7_000 }],
    ]);
    expect(settled).toEqual(['req_test.s1:84+17', 'req_test.s2:131+23']);
    // Instructions first, then the numbered passages, then the caller's own system message and question.
    const first = upstream.received[0];
    expect(first?.messages.map((message) => message.role)).toEqual(['system', 'system', 'system', 'user']);
    expect(first?.messages[0]?.content).toBe('You are a weather assistant.');
    expect(String(first?.messages[1]?.content)).toContain('[1] Climate notes (climate.md, 2026-06-01)');
    expect(first?.tools.map((tool) => tool.function.name)).toEqual(['get_weather']);
    expect(upstream.received[1]?.messages.slice(-2).map((message) => message.role)).toEqual(['assistant', 'tool']);

    const completion = chatCompletionOf(prepared, finish, 3);
    const marker = finish.content.indexOf('[1]');
    expect(completion.choices[0]?.message.annotations).toEqual([{ type: 'url_citation', url_citation: { title: 'Climate notes', url: 'climate.md', start_index: marker, end_index: marker + 3 } }]);
    expect(completion.modelmart).toMatchObject({ gpt: 'weather', version: 3, model_calls: 2, citations: [{ index: 1, title: 'Climate notes', source: 'climate.md', date: '2026-06-01' }] });
    expect(completion.modelmart.steps).toEqual([expect.objectContaining({ step: 1, name: 'get_weather', arguments: '{"city":"Paris"}', ok: true })]);
  });

  it('streams only the final step text, after the tool step, and closes with the extension', async () => {
    const calls: string[] = [];
    const gptRunner = runner({ calls });
    const prepared = await gptRunner.prepare('gpt:weather@3', principal);
    const events: GptRunEvent[] = [];
    for await (const event of gptRunner.stream(prepared, { ...ask, stream: true }, context)) events.push(event);
    expect(events.map((event) => event.type)).toEqual(['tool_step', ...events.slice(1, -1).map(() => 'chunk'), 'finish']);
    const text = events.flatMap((event) => (event.type === 'chunk' ? [event.chunk.choices[0]?.delta.content ?? ''] : [])).join('');
    expect(text).toBe('The tool said: {"forecast":"sunny","celsius":24}. It is sunny in Paris [1].');
    expect(events[1]?.type === 'chunk' && events[1].chunk.choices[0]?.delta.role).toBe('assistant');
    const finish = events.at(-1);
    if (finish?.type !== 'finish') throw new Error('no finish');
    expect(finish.finish.usage.total_tokens).toBe(101 + 154);
    const closing = closingChunks(prepared, finish.finish, 3);
    expect(closing.at(-1)?.choices[0]).toMatchObject({ finish_reason: 'stop', delta: { annotations: [expect.objectContaining({ type: 'url_citation' })] } });
    expect(upstream.received.every((request) => request.stream)).toBe(true);
  });

  it('stops a loop that never ends at the step limit with finish reason max_steps', async () => {
    upstream.script((request) => (request.tools.length > 0 ? { kind: 'tool_call', arguments: '{"city":"Paris"}' } : { kind: 'text' }));
    const calls: string[] = [];
    const gptRunner = runner({ calls });
    const finish = await gptRunner.run(await gptRunner.prepare('gpt:weather', principal), ask, context);
    expect(finish.finishReason).toBe('max_steps');
    expect(finish.modelCalls).toBe(3);
    expect(calls).toHaveLength(2);
    expect(finish.content).toContain('step limit');
  });

  it('turns a tool that does not answer into a tool error and still answers', async () => {
    const calls: string[] = [];
    const gptRunner = runner({ calls, hang: true });
    const finish = await gptRunner.run(await gptRunner.prepare('gpt:weather', principal), ask, context);
    expect(finish.toolCalls).toEqual([expect.objectContaining({ ok: false, error: expect.objectContaining({ code: 'tool_timeout' }) })]);
    expect(finish.finishReason).toBe('stop');
    expect(finish.content).toContain('Tool error (tool_timeout)');
  });

  it("returns calls of the caller's own tools without executing them", async () => {
    upstream.script(() => ({ kind: 'tool_call', arguments: '{}', toolName: 'my_lookup' }));
    const calls: string[] = [];
    const gptRunner = runner({ calls });
    const finish = await gptRunner.run(await gptRunner.prepare('gpt:weather', principal), { ...ask, tools: [{ type: 'function', function: { name: 'my_lookup', parameters: { type: 'object' } } }] }, context);
    expect(calls).toEqual([]);
    expect(finish.finishReason).toBe('tool_calls');
    expect(finish.callerToolCalls.map((call) => call.function.name)).toEqual(['my_lookup']);
    expect(upstream.received[0]?.tools.map((tool) => tool.function.name)).toEqual(['get_weather', 'my_lookup']);
  });

  it('makes no further model call once the client has gone during a tool step', async () => {
    const controller = new AbortController();
    const calls: string[] = [];
    const gone: GptToolbox = {
      ...toolbox({ calls }),
      execute: () => {
        controller.abort(new Error('client gone'));
        return Promise.resolve({ ok: false, content: 'aborted', durationMilliseconds: 0 });
      },
    };
    const gptRunner = new GptRunner({ resolver, router, retriever, toolbox: gone, config: config.gpts });
    await expect(gptRunner.run(await gptRunner.prepare('gpt:weather', principal), ask, { ...context, signal: controller.signal })).rejects.toMatchObject({ status: 499 });
    expect(admitted.map((request) => request.requestId)).toEqual(['req_test.s1']);
  });

  it('refuses keys without the GPT or its base model, and a base model that no longer resolves', async () => {
    const gptRunner = runner({ calls: [] });
    const scoped = (scopes: Partial<Principal['scopes']>): Principal => ({ ...principal, scopes: { ...principal.scopes, ...scopes } });
    await expect(gptRunner.prepare('gpt:weather', scoped({ allowedGpts: ['other-*'] }))).rejects.toMatchObject({ status: 403, code: 'gpt_not_allowed' });
    await expect(gptRunner.prepare('gpt:weather', scoped({ allowedModels: ['qwen-*'] }))).rejects.toMatchObject({ status: 403, code: 'model_not_allowed', message: expect.stringContaining("runs on the model 'recorded/gpt-4o-mini'") });
    await expect(gptRunner.prepare('gpt:orphan', principal)).rejects.toMatchObject({ status: 503, code: 'gpt_base_model_unavailable', message: expect.stringContaining("'gone/model'") });
    await expect(gptRunner.prepare('gpt:missing', principal)).rejects.toMatchObject({ status: 404, code: 'gpt_not_found' });
    await expect(gptRunner.run(await gptRunner.prepare('gpt:weather', principal), { ...ask, tools: [{ type: 'function', function: { name: 'get_weather' } }] }, context)).rejects.toMatchObject({ status: 400, code: 'tool_name_conflict' });
  });
});
