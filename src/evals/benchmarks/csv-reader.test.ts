import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv-reader.js';

describe('parseCsv', () => {
  it('reads plain, quoted, doubled-quote and multi-line fields', () => {
    expect(parseCsv('a,b,c\n"x, y","say ""hi""","two\nlines"\n', 't')).toEqual([['a', 'b', 'c'], ['x, y', 'say "hi"', 'two\nlines']]);
  });

  it('handles CRLF, a missing final newline, empty fields and a trailing comma', () => {
    expect(parseCsv('a,,c\r\nd,e,', 't')).toEqual([['a', '', 'c'], ['d', 'e', '']]);
    expect(parseCsv('', 't')).toEqual([]);
  });

  it('reports an unterminated quote as truncation', () => {
    expect(() => parseCsv('a,"unfinished', 'x.csv')).toThrow(/x\.csv ends inside a quoted field/);
  });
});
