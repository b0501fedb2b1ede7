// The Responses stream of a GPT run: tool items announced before the message, indexes and
// sequence numbers renumbered, annotations and the max_steps outcome on the final events.
import { describe, expect, it } from 'vitest';
import { responseObjectSchema, responseStreamEventSchema, type ResponseStreamEvent } from '../../responses/index.js';
import type { PublishedGpt } from '../gpt-contracts.js';
import { gptResponse, GptResponseStreamDecorator } from './gpt-run-responses.js';
import type { GptRunFinish, PreparedGptRun } from './gpt-run-types.js';

const gpt: PublishedGpt = {
  gptId: 'gpt_1',
  slug: 'weather',
  version: 2,
  name: 'Weather',
  description: '',
  category: null,
  baseModel: 'vendor/model',
  instructions: '',
  conversationStarters: [],
  capabilities: { knowledge: true, actions: true },
  visibility: 'public',
  ownerOrganisationId: 'org_creator',
  ownerProjectId: 'proj_creator',
  creatorUserId: null,
  creatorKeyId: 'key_creator',
  revenueShareBasisPoints: 7_000,
  actionsSnapshot: null,
  publishedAt: '2026-11-28T12:00:00.000Z',
};
const prepared: PreparedGptRun = { gpt, plan: { publicName: 'vendor/model', strategy: 'fallback', targets: [] }, tools: [] };
const text = 'Sunny [1].';
const finish: GptRunFinish = {
  identity: { id: 'chatcmpl_1', created: 1, model: 'gpt:weather', started: true },
  content: text,
  refusal: null,
  callerToolCalls: [],
  finishReason: 'max_steps',
  usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
  toolCalls: [{ step: 1, callId: 'call_1', name: 'get_weather', arguments: '{}', ok: true, output: '{"forecast":"sunny"}', durationMilliseconds: 2 }],
  passages: [{ chunkId: 'chk', documentId: 'doc', text: 'Paris is sunny.', title: 'Climate', source: 'climate.md', date: null, score: 1 }],
  modelCalls: 3,
};

const response = (status: 'in_progress' | 'completed', output: unknown[]) =>
  responseObjectSchema.parse({
    id: 'resp_1', object: 'response', created_at: 1, status, model: 'gpt:weather', output, usage: null, error: null, incomplete_details: null, instructions: null,
    previous_response_id: null, tools: [], tool_choice: 'auto', parallel_tool_calls: true, temperature: null, top_p: null, max_output_tokens: null,
    text: { format: { type: 'text' } }, truncation: 'disabled', store: true, metadata: {}, user: null,
  });
const message = (status: 'in_progress' | 'completed', content: unknown[]) => ({ type: 'message', id: 'msg_1', role: 'assistant', status, content });
const part = { type: 'output_text', text, annotations: [] };
const location = { item_id: 'msg_1', output_index: 0, content_index: 0 };

/** What the Responses service emits for the final step's text (its own numbering). */
const serviceEvents: ResponseStreamEvent[] = [
  { type: 'response.created', sequence_number: 0, response: response('in_progress', []) },
  { type: 'response.in_progress', sequence_number: 1, response: response('in_progress', []) },
  { type: 'response.output_item.added', sequence_number: 2, output_index: 0, item: message('in_progress', []) },
  { type: 'response.content_part.added', sequence_number: 3, ...location, part: { ...part, text: '' } },
  { type: 'response.output_text.delta', sequence_number: 4, ...location, delta: text, logprobs: [] },
  { type: 'response.output_text.done', sequence_number: 5, ...location, text, logprobs: [] },
  { type: 'response.content_part.done', sequence_number: 6, ...location, part },
  { type: 'response.output_item.done', sequence_number: 7, output_index: 0, item: message('completed', [part]) },
  { type: 'response.completed', sequence_number: 8, response: response('completed', [message('completed', [part])]) },
].map((event) => responseStreamEventSchema.parse(event));

describe('a GPT run in the Responses API', () => {
  it('announces the tool items before the message and finishes incomplete at the step limit', () => {
    const decorator = new GptResponseStreamDecorator(prepared, 3);
    decorator.addToolStep(finish.toolCalls);
    const out = serviceEvents.flatMap((event, index) => {
      if (index === serviceEvents.length - 4) decorator.finished(finish);
      return decorator.decorate(event);
    });
    expect(out.map((event) => event.sequence_number)).toEqual(out.map((_event, index) => index));
    expect(out.map((event) => [event.type, event.output_index])).toEqual([
      ['response.created', undefined],
      ['response.in_progress', undefined],
      ['response.output_item.added', 0],
      ['response.function_call_arguments.done', 0],
      ['response.output_item.done', 0],
      ['response.output_item.added', 1],
      ['response.output_item.done', 1],
      ['response.output_item.added', 2],
      ['response.content_part.added', 2],
      ['response.output_text.delta', 2],
      ['response.output_text.done', 2],
      ['response.content_part.done', 2],
      ['response.output_item.done', 2],
      ['response.incomplete', undefined],
    ]);
    const annotation = { type: 'url_citation', title: 'Climate', url: 'climate.md', start_index: 6, end_index: 9 };
    expect(out[11]).toMatchObject({ part: { annotations: [annotation] } });
    const final = out.at(-1);
    expect(final?.response).toMatchObject({
      status: 'incomplete',
      incomplete_details: { reason: 'max_steps' },
      output: [
        { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{}' },
        { type: 'function_call_output', call_id: 'call_1', output: '{"forecast":"sunny"}' },
        { type: 'message', content: [{ annotations: [annotation] }] },
      ],
      modelmart: { gpt: 'weather', version: 2, model_calls: 3, stopped: { reason: 'max_steps' } },
    });
  });

  it('puts the tool items first in a whole response', () => {
    const whole = gptResponse(response('completed', [message('completed', [part])]), prepared, { ...finish, finishReason: 'stop' }, 3);
    expect(whole).toMatchObject({ status: 'completed', output: [{ type: 'function_call' }, { type: 'function_call_output' }, { type: 'message' }] });
  });
});
