import { describe, expect, it } from 'vitest';
import { JsonLinesParser } from './json-lines-parser.js';

function parse(...chunks: string[]): unknown[] {
  const parser = new JsonLinesParser();
  const values: unknown[] = [];
  for (const chunk of chunks) {
    const error = parser.feed(chunk, values);
    if (error !== undefined) throw error;
  }
  const error = parser.finish(values);
  if (error !== undefined) throw error;
  return values;
}

describe('JsonLinesParser', () => {
  it('parses one value per line across chunk boundaries', () => {
    const text = '{"a":1}\n{"b":2}\n';
    for (let cut = 0; cut <= text.length; cut += 1) expect(parse(text.slice(0, cut), text.slice(cut))).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it('skips blank lines, tolerates CRLF and a last line without newline', () => {
    expect(parse('{"a":1}\r\n\n  \n{"done":true}')).toEqual([{ a: 1 }, { done: true }]);
  });

  it('returns a SyntaxError naming the line that is not JSON, keeping the values before it', () => {
    const parser = new JsonLinesParser();
    const values: unknown[] = [];
    expect(parser.feed('{"a":1}\nnot json\n{"b":2}\n', values)?.message).toBe('not a JSON line: not json');
    expect(values).toEqual([{ a: 1 }]);
  });
});
