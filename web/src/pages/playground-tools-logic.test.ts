import { describe, expect, it } from 'vitest';
import { buildChatRequest, codeSamples } from './playground-logic';
import { accumulateToolCalls, checkToolDraft, emptyToolDraft, gptStepsOf, groupModels, prettyJson, toolCallDeltas, type ToolCall } from './playground-tools-logic';

describe('tools typed into the editor', () => {
  it('becomes a function tool when the name and the schema are right', () => {
    const checked = checkToolDraft({ name: ' get_weather ', description: 'Weather now', parameters: emptyToolDraft.parameters }, []);
    expect(checked).toEqual({ ok: true, tool: { type: 'function', function: { name: 'get_weather', description: 'Weather now', parameters: JSON.parse(emptyToolDraft.parameters) as unknown } } });
    const withoutDescription = checkToolDraft({ name: 'f', description: ' ', parameters: '{"type":"object"}' }, []);
    expect(withoutDescription.ok && withoutDescription.tool.function).toEqual({ name: 'f', parameters: { type: 'object' } });
  });

  it('says every reason a tool cannot be added', () => {
    expect(checkToolDraft({ name: 'get weather', description: '', parameters: '{' }, [])).toEqual({ ok: false, problems: ['name', 'json'] });
    expect(checkToolDraft({ name: 'f', description: '', parameters: '{"type":"object"}' }, ['f'])).toEqual({ ok: false, problems: ['nameTaken'] });
    expect(checkToolDraft({ name: 'f', description: '', parameters: '[1]' }, [])).toEqual({ ok: false, problems: ['notObject'] });
    expect(checkToolDraft({ name: 'f', description: '', parameters: '{"type":"string"}' }, [])).toEqual({ ok: false, problems: ['schemaType'] });
    expect(checkToolDraft({ name: 'x'.repeat(65), description: '', parameters: '{"type":"object"}' }, [])).toEqual({ ok: false, problems: ['name'] });
  });
});

describe('streamed tool calls', () => {
  it('puts deltas together by index: id and name first, arguments in pieces', () => {
    let calls: ToolCall[] = [];
    calls = accumulateToolCalls(calls, toolCallDeltas({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '' } }] }));
    calls = accumulateToolCalls(calls, toolCallDeltas({ tool_calls: [{ index: 1, id: 'call_2', function: { name: 'get_time', arguments: '{}' } }] }));
    calls = accumulateToolCalls(calls, toolCallDeltas({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }));
    calls = accumulateToolCalls(calls, toolCallDeltas({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }));
    expect(calls).toEqual([
      { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
      { id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '{}' } },
    ]);
  });

  it('ignores deltas without tool calls and malformed entries', () => {
    expect(toolCallDeltas({ content: 'hi' })).toEqual([]);
    expect(toolCallDeltas(null)).toEqual([]);
    expect(toolCallDeltas({ tool_calls: [{ id: 'no index' }, 'text'] })).toEqual([]);
  });

  it('shows arguments as indented JSON when they parse', () => {
    expect(prettyJson('{"city":"Paris"}')).toBe('{\n  "city": "Paris"\n}');
    expect(prettyJson('{"city":')).toBe('{"city":');
  });
});

describe('requests with tools', () => {
  it('sends the tools, an assistant turn of calls with null content, and tool results by call id', () => {
    const tool = { type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object' } } };
    const call: ToolCall = { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } };
    const request = buildChatRequest({ model: 'm', temperature: 1, maxTokens: null }, [
      { role: 'user', content: 'Weather?' },
      { role: 'assistant', content: '', tool_calls: [call] },
      { role: 'tool', tool_call_id: 'call_1', content: 'Sunny' },
    ], [tool]);
    expect(request.tools).toEqual([tool]);
    expect(request.messages).toEqual([
      { role: 'user', content: 'Weather?' },
      { role: 'assistant', content: null, tool_calls: [call] },
      { role: 'tool', tool_call_id: 'call_1', content: 'Sunny' },
    ]);
    const samples = codeSamples('http://127.0.0.1:8080', request);
    expect(samples.curl).toContain('"get_weather"');
    expect(samples.python).toContain('tools=[');
    expect(samples.javascript).toContain('tool_calls');
  });

  it('leaves tools out when there are none', () => {
    expect(buildChatRequest({ model: 'm', temperature: 1, maxTokens: null }, [])).not.toHaveProperty('tools');
  });
});

describe('GPTs', () => {
  it('reads the tool steps of the modelmart extension', () => {
    const step = { step: 1, call_id: 'c1', name: 'search', arguments: '{"q":"x"}', ok: true, output: 'found', duration_ms: 12 };
    expect(gptStepsOf({ choices: [], modelmart: { gpt: 'helper', steps: [step, { broken: true }] } })).toEqual([step]);
    expect(gptStepsOf({ choices: [] })).toEqual([]);
  });

  it('groups GPTs apart from models in the picker', () => {
    expect(groupModels([{ id: 'gpt-4' }, { id: 'gpt:travel-helper' }, { id: 'stub/m' }])).toEqual({ models: ['gpt-4', 'stub/m'], gpts: ['gpt:travel-helper'] });
  });
});
