import { describe, expect, it } from 'vitest';
import type { ChatCompletion } from '../api/index.js';
import { responseObjectSchema, responsesRequestSchema } from '../api/responses-schemas.js';
import { chatCompletionToResponse, createResponseSkeleton, type ItemIdFactory } from './responses-output-translation.js';

function countingIds(): ItemIdFactory {
  let count = 0;
  return (prefix) => `${prefix}_${(count += 1)}`;
}

const createdAt = new Date('2026-11-20T10:00:00.500Z');

function completion(message: ChatCompletion['choices'][number]['message'], finishReason: ChatCompletion['choices'][number]['finish_reason']): ChatCompletion {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1,
    model: 'upstream-model',
    choices: [{ index: 0, message, finish_reason: finishReason }],
    usage: { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17, prompt_tokens_details: { cached_tokens: 4 } },
  };
}

describe('createResponseSkeleton', () => {
  it('echoes the request parameters with the documented defaults', () => {
    const request = responsesRequestSchema.parse({ model: 'chat-default', input: 'x', instructions: 'Be kind.', temperature: 0.5 });
    const skeleton = createResponseSkeleton(request, { id: 'resp_1', createdAt });
    expect(skeleton).toMatchObject({
      id: 'resp_1',
      object: 'response',
      created_at: 1_795_168_800,
      status: 'in_progress',
      model: 'chat-default',
      output: [],
      instructions: 'Be kind.',
      temperature: 0.5,
      top_p: null,
      tools: [],
      tool_choice: 'auto',
      parallel_tool_calls: true,
      text: { format: { type: 'text' } },
      store: true,
      metadata: {},
    });
    expect(responseObjectSchema.parse(skeleton)).toEqual(skeleton);
  });
});

describe('chatCompletionToResponse', () => {
  const request = responsesRequestSchema.parse({ model: 'chat-default', input: 'x' });
  const skeleton = createResponseSkeleton(request, { id: 'resp_1', createdAt });

  it('makes a completed message with output_text and maps usage', () => {
    const response = chatCompletionToResponse(completion({ role: 'assistant', content: 'Hello!' }, 'stop'), skeleton, countingIds());
    expect(response.status).toBe('completed');
    expect(response.output).toEqual([
      { type: 'message', id: 'msg_1', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'Hello!', annotations: [] }] },
    ]);
    expect(response.usage).toEqual({
      input_tokens: 12,
      input_tokens_details: { cached_tokens: 4 },
      output_tokens: 5,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 17,
    });
    expect(responseObjectSchema.parse(response)).toEqual(response);
  });

  it('makes one function_call item per tool call, keeping the call id', () => {
    const response = chatCompletionToResponse(
      completion(
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
            { id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '{}' } },
          ],
        },
        'tool_calls',
      ),
      skeleton,
      countingIds(),
    );
    expect(response.output).toEqual([
      { type: 'function_call', id: 'fc_1', call_id: 'call_a', name: 'get_weather', arguments: '{"city":"Paris"}', status: 'completed' },
      { type: 'function_call', id: 'fc_2', call_id: 'call_b', name: 'get_time', arguments: '{}', status: 'completed' },
    ]);
  });

  it('marks a length cut-off incomplete and carries refusals as refusal parts', () => {
    const cut = chatCompletionToResponse(completion({ role: 'assistant', content: 'Once upon' }, 'length'), skeleton, countingIds());
    expect(cut.status).toBe('incomplete');
    expect(cut.incomplete_details).toEqual({ reason: 'max_output_tokens' });
    expect(cut.output[0]?.status).toBe('incomplete');
    const refused = chatCompletionToResponse(completion({ role: 'assistant', content: null, refusal: 'I cannot help.' }, 'stop'), skeleton, countingIds());
    expect(refused.output).toEqual([{ type: 'message', id: 'msg_1', role: 'assistant', status: 'completed', content: [{ type: 'refusal', refusal: 'I cannot help.' }] }]);
  });
});
