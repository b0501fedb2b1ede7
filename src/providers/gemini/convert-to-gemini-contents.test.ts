import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../api/index.js';
import { convertToGeminiContents, placeholderThoughtSignature } from './convert-to-gemini-contents.js';
import { newGeminiToolCallId, thoughtSignatureFromToolCallId } from './gemini-tool-call-ids.js';

const plain = { placeholderThoughtSignatures: false };

describe('convertToGeminiContents', () => {
  it('puts system and developer text in systemInstruction and uses user/model roles', () => {
    const prompt = convertToGeminiContents(
      [
        { role: 'system', content: 'Be brief.' },
        { role: 'developer', content: 'Use metric units.' },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello!' },
        { role: 'user', content: 'Weather?' },
      ],
      plain,
      [],
    );
    expect(prompt.systemInstruction).toEqual({ parts: [{ text: 'Be brief.\n\nUse metric units.' }] });
    expect(prompt.contents).toEqual([
      { role: 'user', parts: [{ text: 'Hi' }] },
      { role: 'model', parts: [{ text: 'Hello!' }] },
      { role: 'user', parts: [{ text: 'Weather?' }] },
    ]);
  });

  it('sends base64 images inline and URLs as file data', () => {
    const prompt = convertToGeminiContents(
      [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/4AAQ' } },
            { type: 'image_url', image_url: { url: 'https://example.com/chart.png' } },
            { type: 'input_audio', input_audio: { data: 'UklGRg==', format: 'wav' } },
          ],
        },
      ],
      plain,
      [],
    );
    expect(prompt.contents[0]?.parts).toEqual([
      { text: 'What is this?' },
      { inlineData: { mimeType: 'image/jpeg', data: '/9j/4AAQ' } },
      { fileData: { mimeType: 'image/png', fileUri: 'https://example.com/chart.png' } },
      { inlineData: { mimeType: 'audio/wav', data: 'UklGRg==' } },
    ]);
  });

  it('matches tool results to function names and merges parallel responses into one content', () => {
    const signedId = newGeminiToolCallId('CiIBVKhc7oDPpnUN+b/gAA==');
    const messages: ChatMessage[] = [
      { role: 'user', content: 'Weather and time in Paris?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: signedId, type: 'function', function: { name: 'get_weather', arguments: '{"location":"Paris"}' } },
          { id: 'call_plain', type: 'function', function: { name: 'get_time', arguments: '{}' } },
        ],
      },
      { role: 'tool', tool_call_id: signedId, content: '{"celsius":21}' },
      { role: 'tool', tool_call_id: 'call_plain', content: '14:05' },
    ];
    const prompt = convertToGeminiContents(messages, plain, []);
    expect(prompt.contents.slice(1)).toEqual([
      {
        role: 'model',
        parts: [
          { functionCall: { name: 'get_weather', args: { location: 'Paris' } }, thoughtSignature: 'CiIBVKhc7oDPpnUN+b/gAA==' },
          { functionCall: { name: 'get_time', args: {} } },
        ],
      },
      {
        role: 'user',
        parts: [
          { functionResponse: { name: 'get_weather', response: { celsius: 21 } } },
          { functionResponse: { name: 'get_time', response: { output: '14:05' } } },
        ],
      },
    ]);
  });

  it('adds the documented placeholder signature where a Gemini 3 call has none', () => {
    const prompt = convertToGeminiContents(
      [
        { role: 'user', content: 'Go' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } }, { id: 'call_2', type: 'function', function: { name: 'g', arguments: '{}' } }] },
      ],
      { placeholderThoughtSignatures: true },
      [],
    );
    expect(prompt.contents[1]?.parts).toEqual([
      { functionCall: { name: 'f', args: {} }, thoughtSignature: placeholderThoughtSignature },
      { functionCall: { name: 'g', args: {} } },
    ]);
  });

  it('refuses a tool result that answers no known call', () => {
    expect(() => convertToGeminiContents([{ role: 'user', content: 'Go' }, { role: 'tool', tool_call_id: 'call_x', content: 'ok' }], plain, [])).toThrow(/call_x/);
  });
});

describe('Gemini tool call ids', () => {
  it('carry a thought signature through the id and back, in characters every vendor accepts', () => {
    const signature = 'CiIBVKhc7oDPpnUNpb+Cg/xYbd3uBPxRYX8Cjg2k0Y3Ewi0f';
    const id = newGeminiToolCallId(signature);
    expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(thoughtSignatureFromToolCallId(id)).toBe(signature);
    expect(thoughtSignatureFromToolCallId(newGeminiToolCallId('YQ=='))).toBe('YQ==');
    expect(thoughtSignatureFromToolCallId(newGeminiToolCallId(undefined))).toBeUndefined();
    expect(thoughtSignatureFromToolCallId('call_abc')).toBeUndefined();
  });
});
