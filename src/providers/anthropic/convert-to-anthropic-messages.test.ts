import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../api/index.js';
import { convertToAnthropicMessages, toAnthropicToolId } from './convert-to-anthropic-messages.js';

describe('convertToAnthropicMessages', () => {
  it('gathers system and developer messages into the system prompt', () => {
    const warnings: string[] = [];
    const prompt = convertToAnthropicMessages(
      [
        { role: 'system', content: 'Be brief.' },
        { role: 'developer', content: [{ type: 'text', text: 'Answer in French.' }] },
        { role: 'user', content: 'Hi' },
      ],
      warnings,
    );
    expect(prompt.system).toBe('Be brief.\n\nAnswer in French.');
    expect(prompt.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }]);
    expect(warnings).toEqual([]);
  });

  it('turns data: URLs into base64 sources and http URLs into url sources', () => {
    const prompt = convertToAnthropicMessages(
      [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Compare these.' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg', detail: 'high' } },
          ],
        },
      ],
      [],
    );
    expect(prompt.messages[0]?.content).toEqual([
      { type: 'text', text: 'Compare these.' },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
      { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
    ]);
  });

  it('sends PDFs as documents and refuses audio and unsupported image types', () => {
    const prompt = convertToAnthropicMessages(
      [{ role: 'user', content: [{ type: 'file', file: { filename: 'report.pdf', file_data: 'data:application/pdf;base64,JVBERi0=' } }] }],
      [],
    );
    expect(prompt.messages[0]?.content[0]).toEqual({
      type: 'document',
      source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0=' },
      title: 'report.pdf',
    });
    expect(() => convertToAnthropicMessages([{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } }] }], [])).toThrow(/audio/);
    expect(() => convertToAnthropicMessages([{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/tiff;base64,AAAA' } }] }], [])).toThrow(/image\/tiff/);
  });

  it('turns tool calls into tool_use blocks and merges consecutive tool results into one user turn', () => {
    const messages: ChatMessage[] = [
      { role: 'user', content: 'Weather in Paris and the time?' },
      {
        role: 'assistant',
        content: 'Let me look.',
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          { id: 'call.2+sig=', type: 'function', function: { name: 'get_time', arguments: '' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '{"celsius":21}' },
      { role: 'tool', tool_call_id: 'call.2+sig=', content: [{ type: 'text', text: '14:05' }] },
      { role: 'user', content: 'Thanks' },
    ];
    const prompt = convertToAnthropicMessages(messages, []);
    expect(prompt.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Weather in Paris and the time?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Let me look.' },
          { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'call_2_sig_', name: 'get_time', input: {} },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'call_1', content: '{"celsius":21}' },
          { type: 'tool_result', tool_use_id: 'call_2_sig_', content: [{ type: 'text', text: '14:05' }] },
          { type: 'text', text: 'Thanks' },
        ],
      },
    ]);
  });

  it('merges consecutive user turns and trims a prefilled assistant turn', () => {
    const prompt = convertToAnthropicMessages(
      [
        { role: 'user', content: 'One' },
        { role: 'user', content: 'Two' },
        { role: 'assistant', content: 'Sure:  \n' },
      ],
      [],
    );
    expect(prompt.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'One' }, { type: 'text', text: 'Two' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'Sure:' }] },
    ]);
  });

  it('replaces malformed replayed tool arguments with an empty object and says so', () => {
    const warnings: string[] = [];
    const prompt = convertToAnthropicMessages(
      [
        { role: 'user', content: 'Go' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"a":' } }] },
      ],
      warnings,
    );
    expect(prompt.messages[1]?.content).toEqual([{ type: 'tool_use', id: 'call_1', name: 'f', input: {} }]);
    expect(warnings[0]).toMatch(/messages\[1\]\.tool_calls\[0\]\.function\.arguments/);
  });

  it('keeps tool ids Anthropic accepts as they are', () => {
    expect(toAnthropicToolId('toolu_01A09q90qw90lq917835lq9')).toBe('toolu_01A09q90qw90lq917835lq9');
  });
});
