import { describe, expect, it } from 'vitest';
import { parseBody } from './validation-errors.js';
import { responsesRequestSchema, responseStreamEventSchema } from './responses-schemas.js';

describe('responsesRequestSchema', () => {
  it('accepts a string input and stores by default', () => {
    const request = responsesRequestSchema.parse({ model: 'm', input: 'hello' });
    expect(request.store).toBe(true);
    expect(request.input).toBe('hello');
  });

  it('fills in the type of an easy input message and keeps typed items', () => {
    const request = responsesRequestSchema.parse({
      model: 'm',
      input: [
        { role: 'user', content: [{ type: 'input_text', text: 'hi' }, { type: 'input_image', image_url: 'https://example.com/a.png', detail: 'low' }] },
        { type: 'function_call', call_id: 'call_1', name: 'lookup', arguments: '{}' },
        { type: 'function_call_output', call_id: 'call_1', output: 'done' },
      ],
    });
    expect(Array.isArray(request.input) && request.input.map((item) => item.type)).toEqual(['message', 'function_call', 'function_call_output']);
  });

  it('names the offending param for an unsupported tool type', () => {
    expect(() => parseBody(responsesRequestSchema, { model: 'm', input: 'x', tools: [{ type: 'web_search' }] })).toThrowError(
      expect.objectContaining({ status: 400, param: 'tools[0].type' }),
    );
  });

  it('refuses an unknown input item type and a json_schema format without a schema', () => {
    expect(responsesRequestSchema.safeParse({ model: 'm', input: [{ type: 'reasoning', summary: [] }] }).success).toBe(false);
    expect(responsesRequestSchema.safeParse({ model: 'm', input: 'x', text: { format: { type: 'json_schema', name: 'n' } } }).success).toBe(false);
  });

  it('takes flat function tools and a named tool choice', () => {
    const request = responsesRequestSchema.parse({
      model: 'm',
      input: 'x',
      tools: [{ type: 'function', name: 'get_weather', parameters: { type: 'object' }, strict: true }],
      tool_choice: { type: 'function', name: 'get_weather' },
    });
    expect(request.tools?.[0]?.name).toBe('get_weather');
  });
});

describe('responseStreamEventSchema', () => {
  it('validates a text delta event', () => {
    const event = { type: 'response.output_text.delta', sequence_number: 3, item_id: 'msg_1', output_index: 0, content_index: 0, delta: 'Hi', logprobs: [] };
    expect(responseStreamEventSchema.parse(event)).toEqual(event);
  });
});
