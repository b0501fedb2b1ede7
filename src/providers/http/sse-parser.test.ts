import { describe, expect, it } from 'vitest';
import { SseParser, type SseEvent } from './sse-parser.js';

function parse(...chunks: string[]): { events: SseEvent[]; truncated: boolean } {
  const parser = new SseParser();
  const events: SseEvent[] = [];
  for (const chunk of chunks) parser.feed(chunk, events);
  const truncated = parser.finish(events);
  return { events, truncated };
}

describe('SseParser', () => {
  it('parses data events separated by blank lines', () => {
    expect(parse('data: {"a":1}\n\ndata: [DONE]\n\n').events).toEqual([{ data: '{"a":1}' }, { data: '[DONE]' }]);
  });

  it('reassembles events split at any chunk boundary', () => {
    const text = 'event: delta\ndata: hello\nid: 7\n\ndata: world\n\n';
    for (let cut = 0; cut <= text.length; cut += 1) {
      expect(parse(text.slice(0, cut), text.slice(cut)).events).toEqual([{ event: 'delta', data: 'hello', id: '7' }, { data: 'world', id: '7' }]);
    }
  });

  it('accepts one character per chunk', () => {
    expect(parse(...'data: a\r\n\r\ndata: b\r\rdata: c\n\n').events).toEqual([{ data: 'a' }, { data: 'b' }, { data: 'c' }]);
  });

  it('understands \\r\\n and lone \\r line ends, including \\r\\n split across chunks', () => {
    expect(parse('data: one\r\n\r\n').events).toEqual([{ data: 'one' }]);
    expect(parse('data: two\r\r').events).toEqual([{ data: 'two' }]);
    expect(parse('data: three\r', '\n\r', '\n').events).toEqual([{ data: 'three' }]);
    expect(parse('data: x\r', '\ndata: y\r\n\r\n').events).toEqual([{ data: 'x\ny' }]);
  });

  it('ignores comment lines (keep-alive pings)', () => {
    expect(parse(': ping\n\n:another\ndata: x\n: inside\n\n').events).toEqual([{ data: 'x' }]);
  });

  it('joins multi-line data with newlines', () => {
    expect(parse('data: first\ndata: second\ndata:third\n\n').events).toEqual([{ data: 'first\nsecond\nthird' }]);
  });

  it('removes exactly one space after the colon and keeps the rest', () => {
    expect(parse('data:  two spaces\n\ndata:none\n\n').events).toEqual([{ data: ' two spaces' }, { data: 'none' }]);
  });

  it('reads event and id fields; the id persists, the event type does not', () => {
    expect(parse('event: message_start\nid: 1\ndata: {}\n\ndata: {}\n\n').events).toEqual([
      { event: 'message_start', data: '{}', id: '1' },
      { data: '{}', id: '1' },
    ]);
  });

  it('dispatches nothing for a blank line without data, and resets the event type', () => {
    expect(parse('event: ping\n\ndata: x\n\n').events).toEqual([{ data: 'x' }]);
  });

  it('dispatches an empty data field as an empty string', () => {
    expect(parse('data\n\ndata:\n\n').events).toEqual([{ data: '' }, { data: '' }]);
  });

  it('ignores retry and unknown fields, and ids containing NUL', () => {
    expect(parse('retry: 1000\nfoo: bar\nid: a\0b\ndata: x\n\n').events).toEqual([{ data: 'x' }]);
  });

  it('strips a leading byte order mark', () => {
    expect(parse('\uFEFFdata: x\n\n').events).toEqual([{ data: 'x' }]);
  });

  it('delivers a last event whose lines were complete but lacked the blank line', () => {
    expect(parse('data: [DONE]\n')).toEqual({ events: [{ data: '[DONE]' }], truncated: false });
  });

  it('reports a stream that stopped inside a line as truncated', () => {
    expect(parse('data: {"a":1}\n\ndata: {"b"')).toEqual({ events: [{ data: '{"a":1}' }], truncated: true });
  });

  it('handles a long line spread over many chunks', () => {
    const payload = 'x'.repeat(10_000);
    const chunks = ['data: '];
    for (let index = 0; index < payload.length; index += 7) chunks.push(payload.slice(index, index + 7));
    chunks.push('\n\n');
    expect(parse(...chunks).events).toEqual([{ data: payload }]);
  });
});
