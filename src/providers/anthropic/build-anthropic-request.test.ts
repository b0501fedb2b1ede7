import { describe, expect, it } from 'vitest';
import type { ChatCompletionRequest } from '../../api/index.js';
import { buildAnthropicRequest } from './build-anthropic-request.js';

const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Current weather',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

function build(request: Partial<ChatCompletionRequest>, warnings: string[] = []) {
  return buildAnthropicRequest({ model: 'claude', messages: [{ role: 'user', content: 'Hi' }], ...request }, 'claude-sonnet-4-5', { defaultMaxTokens: 4096 }, warnings);
}

describe('buildAnthropicRequest', () => {
  it('requires max_tokens, taking the request value or the default', () => {
    expect(build({}).body.max_tokens).toBe(4096);
    expect(build({ max_tokens: 100 }).body.max_tokens).toBe(100);
    expect(build({ max_tokens: 100, max_completion_tokens: 200 }).body.max_tokens).toBe(200);
  });

  it('maps sampling parameters, stop and user', () => {
    const { body } = build({ temperature: 0.2, stop: 'END', user: 'user-42' });
    expect(body).toMatchObject({ model: 'claude-sonnet-4-5', temperature: 0.2, stop_sequences: ['END'], metadata: { user_id: 'user-42' } });
    expect(build({ top_p: 0.9 }).body.top_p).toBe(0.9);
  });

  it('keeps temperature and drops top_p when both are set, as recent Claude models require', () => {
    const warnings: string[] = [];
    const { body } = build({ temperature: 0.2, top_p: 0.9 }, warnings);
    expect(body.temperature).toBe(0.2);
    expect(body).not.toHaveProperty('top_p');
    expect(warnings).toEqual([expect.stringContaining('top_p')]);
  });

  it('lowers temperatures above 1 and drops unsupported parameters with warnings', () => {
    const warnings: string[] = [];
    const { body } = build({ temperature: 1.6, n: 2, seed: 7, logprobs: true, presence_penalty: 0.5, frequency_penalty: 0.1, logit_bias: { '50256': -100 } }, warnings);
    expect(body.temperature).toBe(1);
    expect(body).not.toHaveProperty('seed');
    expect(warnings.join('\n')).toMatch(/temperature/);
    for (const name of ['n ', 'seed', 'logprobs', 'presence_penalty', 'frequency_penalty', 'logit_bias']) expect(warnings.join('\n')).toContain(name);
  });

  it('maps tools to input_schema and every tool_choice', () => {
    expect(build({ tools: [weatherTool] }).body).toMatchObject({
      tools: [{ name: 'get_weather', description: 'Current weather', input_schema: weatherTool.function.parameters }],
    });
    expect(build({ tools: [weatherTool] }).body.tool_choice).toBeUndefined();
    expect(build({ tools: [weatherTool], tool_choice: 'auto' }).body.tool_choice).toEqual({ type: 'auto' });
    expect(build({ tools: [weatherTool], tool_choice: 'required' }).body.tool_choice).toEqual({ type: 'any' });
    expect(build({ tools: [weatherTool], tool_choice: 'none' }).body.tool_choice).toEqual({ type: 'none' });
    expect(build({ tools: [weatherTool], tool_choice: { type: 'function', function: { name: 'get_weather' } } }).body.tool_choice).toEqual({ type: 'tool', name: 'get_weather' });
    expect(build({ tools: [weatherTool], parallel_tool_calls: false }).body.tool_choice).toEqual({ type: 'auto', disable_parallel_tool_use: true });
  });

  it('gives a tool without parameters an empty object schema', () => {
    const { body } = build({ tools: [{ type: 'function', function: { name: 'get_time' } }] });
    expect(body.tools?.[0]?.input_schema).toEqual({ type: 'object', properties: {} });
  });

  it('serves a json_schema response format through one forced tool', () => {
    const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
    const plan = build({ response_format: { type: 'json_schema', json_schema: { name: 'city_facts', schema } } });
    expect(plan.jsonToolName).toBe('city_facts');
    expect(plan.body.tools).toEqual([{ name: 'city_facts', description: expect.any(String), input_schema: schema }]);
    expect(plan.body.tool_choice).toEqual({ type: 'tool', name: 'city_facts' });
  });

  it('drops a response format with a warning when the request has its own tools', () => {
    const warnings: string[] = [];
    const plan = build({ tools: [weatherTool], response_format: { type: 'json_object' } }, warnings);
    expect(plan.jsonToolName).toBeUndefined();
    expect(plan.body.tools?.map((tool) => tool.name)).toEqual(['get_weather']);
    expect(warnings[0]).toMatch(/response_format/);
  });
});
