import { describe, expect, it } from 'vitest';
import { SseParser, type SseEvent } from '../providers/http/sse-parser.js';
import { encodeSseData, encodeSseEvent, sseDone, sseKeepAlive } from './sse-codec.js';

function decode(text: string): SseEvent[] {
  const parser = new SseParser();
  const events: SseEvent[] = [];
  parser.feed(text, events);
  return events;
}

describe('SSE codec', () => {
  it('writes one data event per value and the [DONE] marker', () => {
    expect(encodeSseData({ a: 1 })).toBe('data: {"a":1}\n\n');
    expect(sseDone).toBe('data: [DONE]\n\n');
  });

  it('keeps line breaks inside values on one line, so the event round-trips', () => {
    const value = { content: 'line one\nline two\r\nend' };
    const text = encodeSseData(value) + sseKeepAlive + encodeSseEvent('response.output_text.delta', { delta: 'x\ny' });
    const events = decode(text);
    expect(events).toHaveLength(2);
    expect(JSON.parse(events[0]?.data ?? '')).toEqual(value);
    expect(events[1]).toEqual({ event: 'response.output_text.delta', data: '{"delta":"x\\ny"}' });
  });

  it('refuses an event name with a line break', () => {
    expect(() => encodeSseEvent('bad\nname', {})).toThrow(TypeError);
  });
});
