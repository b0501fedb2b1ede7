import { describe, expect, it } from 'vitest';
import { chatCompletionRequestSchema, type FunctionTool } from '../api/index.js';
import { responsesRequestSchema } from '../api/responses-schemas.js';
import {
  outputItemsAsInput,
  resolveConversation,
  responsesRequestToChatRequest,
  toChatTool,
  toResponsesTool,
} from './responses-request-translation.js';

function translate(body: Record<string, unknown>, options = { stream: false }) {
  const request = responsesRequestSchema.parse({ model: 'local/qwen', ...body });
  const chat = responsesRequestToChatRequest(request, resolveConversation([], request), options);
  // Whatever comes out must be a valid chat request for the router.
  expect(chatCompletionRequestSchema.safeParse(chat).success).toBe(true);
  return chat;
}

describe('responsesRequestToChatRequest', () => {
  it('turns a string input into one user message and maps the sampling parameters', () => {
    const chat = translate({ input: 'Hello', temperature: 0.2, top_p: 0.9, max_output_tokens: 64, user: 'u1', metadata: { a: 'b' } });
    expect(chat).toEqual({
      model: 'local/qwen',
      messages: [{ role: 'user', content: 'Hello' }],
      temperature: 0.2,
      top_p: 0.9,
      max_completion_tokens: 64,
      user: 'u1',
    });
  });

  it('puts instructions first as a system message and keeps developer messages', () => {
    const chat = translate({
      instructions: 'Answer in French.',
      input: [
        { role: 'developer', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ],
    });
    expect(chat.messages).toEqual([
      { role: 'system', content: 'Answer in French.' },
      { role: 'developer', content: 'Be brief.' },
      { role: 'user', content: 'Hi' },
    ]);
  });

  it('translates text and image parts, and assistant output_text back to plain content', () => {
    const chat = translate({
      input: [
        {
          type: 'message',
          role: 'user',
          content: [
            { type: 'input_text', text: 'What is this?' },
            { type: 'input_image', image_url: 'data:image/png;base64,AAAA', detail: 'high' },
            { type: 'input_image', image_url: 'https://example.com/b.png' },
          ],
        },
        { type: 'message', id: 'msg_1', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'A cat.', annotations: [] }] },
        { role: 'user', content: 'Thanks' },
      ],
    });
    expect(chat.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA', detail: 'high' } },
          { type: 'image_url', image_url: { url: 'https://example.com/b.png' } },
        ],
      },
      { role: 'assistant', content: 'A cat.' },
      { role: 'user', content: 'Thanks' },
    ]);
  });

  it('joins function calls to the assistant turn before them and turns outputs into tool messages', () => {
    const chat = translate({
      input: [
        { role: 'user', content: 'Weather in Paris and Rome?' },
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Checking.' }] },
        { type: 'function_call', id: 'fc_1', call_id: 'call_a', name: 'get_weather', arguments: '{"city":"Paris"}', status: 'completed' },
        { type: 'function_call', call_id: 'call_b', name: 'get_weather', arguments: '{"city":"Rome"}' },
        { type: 'function_call_output', call_id: 'call_a', output: '18C' },
        { type: 'function_call_output', call_id: 'call_b', output: [{ type: 'input_text', text: '24C' }] },
        { type: 'function_call', call_id: 'call_c', name: 'get_time', arguments: '{}' },
      ],
    });
    expect(chat.messages).toEqual([
      { role: 'user', content: 'Weather in Paris and Rome?' },
      {
        role: 'assistant',
        content: 'Checking.',
        tool_calls: [
          { id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          { id: 'call_b', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_a', content: '18C' },
      { role: 'tool', tool_call_id: 'call_b', content: [{ type: 'text', text: '24C' }] },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_c', type: 'function', function: { name: 'get_time', arguments: '{}' } }] },
    ]);
  });

  it('converts flat tools, tool choice and parallel_tool_calls, and drops the last two without tools', () => {
    const chat = translate({
      input: 'x',
      tools: [{ type: 'function', name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: {} }, strict: true }],
      tool_choice: { type: 'function', name: 'get_weather' },
      parallel_tool_calls: false,
    });
    expect(chat.tools).toEqual([
      { type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: {} }, strict: true } },
    ]);
    expect(chat.tool_choice).toEqual({ type: 'function', function: { name: 'get_weather' } });
    expect(chat.parallel_tool_calls).toBe(false);
    const withoutTools = translate({ input: 'x', tool_choice: 'none', parallel_tool_calls: true });
    expect(withoutTools).not.toHaveProperty('tool_choice');
    expect(withoutTools).not.toHaveProperty('parallel_tool_calls');
  });

  it('maps text.format to response_format', () => {
    const schema = { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'] };
    expect(translate({ input: 'x', text: { format: { type: 'json_schema', name: 'answer', schema, strict: true } } }).response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'answer', schema, strict: true },
    });
    expect(translate({ input: 'x', text: { format: { type: 'json_object' } } }).response_format).toEqual({ type: 'json_object' });
    expect(translate({ input: 'x', text: { format: { type: 'text' } } })).not.toHaveProperty('response_format');
  });

  it('asks for usage when streaming', () => {
    const chat = translate({ input: 'x' }, { stream: true });
    expect(chat.stream).toBe(true);
    expect(chat.stream_options).toEqual({ include_usage: true });
  });

  it('refuses empty input and content the chat shape cannot carry, naming the param', () => {
    expect(() => translate({ input: [] })).toThrowError(expect.objectContaining({ status: 400, param: 'input' }));
    expect(() => translate({ input: [{ role: 'system', content: [{ type: 'input_image', image_url: 'https://example.com/a.png' }] }] })).toThrowError(
      expect.objectContaining({ status: 400, param: 'input[0].content[0]' }),
    );
    expect(() => translate({ input: [{ role: 'user', content: [{ type: 'input_text', text: 'a' }, { type: 'input_image', file_id: 'file_1' }] }] })).toThrowError(
      expect.objectContaining({ status: 400, param: 'input[0].content[1]' }),
    );
  });

  it('continues inherited items before the new input, with errors indexed in the new input', () => {
    const previousOutput = outputItemsAsInput([
      { type: 'message', id: 'msg_1', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'Hi!', annotations: [] }] },
    ]);
    const request = responsesRequestSchema.parse({ model: 'm', input: 'And now?', previous_response_id: 'resp_1' });
    const conversation = resolveConversation([{ type: 'message', role: 'user', content: 'Hello' }, ...previousOutput], request);
    expect(conversation.inheritedCount).toBe(2);
    expect(responsesRequestToChatRequest(request, conversation, { stream: false }).messages).toEqual([
      { role: 'user', content: 'Hello' },
      { role: 'assistant', content: 'Hi!' },
      { role: 'user', content: 'And now?' },
    ]);
  });
});

describe('tool shapes', () => {
  it('round-trips between the flat Responses tool and the nested chat tool', () => {
    const chatTool: FunctionTool = { type: 'function', function: { name: 'lookup', description: 'Find', parameters: { type: 'object' }, strict: false } };
    expect(toResponsesTool(chatTool)).toEqual({ type: 'function', name: 'lookup', description: 'Find', parameters: { type: 'object' }, strict: false });
    expect(toChatTool(toResponsesTool(chatTool))).toEqual(chatTool);
    expect(toChatTool({ type: 'function', name: 'bare', description: null, parameters: null, strict: null })).toEqual({ type: 'function', function: { name: 'bare' } });
  });
});
