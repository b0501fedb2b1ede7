// A small RFC 4180 reader for the MMLU files: quoted fields may hold commas, quotes ("") and newlines.
// It jumps between delimiters with indexOf and sticky patterns instead of walking characters, which
// keeps reading the 57 test files (6 MB) well under the 2 s budget of scoring all of MMLU.
import { DatasetError } from './dataset-files.js';

const unquotedField = /[^,\r\n]*/y;

export function parseCsv(text: string, label: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let index = 0;
  const length = text.length;
  while (index < length) {
    let field: string;
    if (text[index] === '"') {
      const parts: string[] = [];
      let start = index + 1;
      for (;;) {
        const quote = text.indexOf('"', start);
        if (quote < 0) throw new DatasetError(`${label} ends inside a quoted field: the file is truncated`);
        parts.push(text.slice(start, quote));
        if (text[quote + 1] === '"') {
          parts.push('"');
          start = quote + 2;
          continue;
        }
        index = quote + 1;
        break;
      }
      field = parts.join('');
      // Text after a closing quote belongs to the same field, as lenient readers (pandas) take it.
      unquotedField.lastIndex = index;
      unquotedField.exec(text);
      field += text.slice(index, unquotedField.lastIndex);
      index = unquotedField.lastIndex;
    } else {
      unquotedField.lastIndex = index;
      unquotedField.exec(text);
      field = text.slice(index, unquotedField.lastIndex);
      index = unquotedField.lastIndex;
    }
    row.push(field);
    const delimiter = text[index];
    if (delimiter === ',') {
      index += 1;
      // A trailing comma at the very end still opens one more, empty field.
      if (index === length) row.push('');
      continue;
    }
    if (delimiter === '\r' && text[index + 1] === '\n') index += 1;
    index += 1;
    rows.push(row);
    row = [];
  }
  if (row.length > 0) rows.push(row);
  return rows;
}
