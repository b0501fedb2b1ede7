// Text out of a knowledge file: txt, md, html (html-to-text), pdf (pdfjs-dist), docx (mammoth),
// csv (a line a row) and json (pretty-printed). The type comes from the file name's extension,
// else from the content type (live sources). An unknown type is refused with 415; a file that
// cannot be read (an encrypted PDF, a broken docx, text that is not UTF-8, no text at all) with
// 422, before anything is stored.
import { extname } from 'node:path';
import { convert as convertHtmlToText } from 'html-to-text';
import mammoth from 'mammoth';
import { ModelmartError } from '../../core/index.js';

export type KnowledgeFileKind = 'txt' | 'md' | 'html' | 'pdf' | 'docx' | 'csv' | 'json';

export const knowledgeMimeTypes: Readonly<Record<KnowledgeFileKind, string>> = {
  txt: 'text/plain',
  md: 'text/markdown',
  html: 'text/html',
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  csv: 'text/csv',
  json: 'application/json',
};

const kindsByExtension: Readonly<Record<string, KnowledgeFileKind>> = {
  '.txt': 'txt',
  '.text': 'txt',
  '.md': 'md',
  '.markdown': 'md',
  '.html': 'html',
  '.htm': 'html',
  '.pdf': 'pdf',
  '.docx': 'docx',
  '.csv': 'csv',
  '.json': 'json',
};

const kindsByMimeType: Readonly<Record<string, KnowledgeFileKind>> = {
  'text/plain': 'txt',
  'text/markdown': 'md',
  'text/x-markdown': 'md',
  'text/html': 'html',
  'application/xhtml+xml': 'html',
  'application/pdf': 'pdf',
  [knowledgeMimeTypes.docx]: 'docx',
  'text/csv': 'csv',
  'application/json': 'json',
};

export interface ExtractedDocument {
  readonly kind: KnowledgeFileKind;
  readonly mimeType: string;
  /** The document's own title where it has one (an HTML <title>), else null. */
  readonly title: string | null;
  readonly text: string;
}

export function unsupportedFileType(fileName: string): ModelmartError {
  return new ModelmartError(415, `The file type of ${JSON.stringify(fileName)} is not supported; knowledge files may be ${Object.keys(kindsByExtension).join(', ')}.`, {
    code: 'unsupported_file_type',
    param: 'filename',
  });
}

export function unreadableFile(fileName: string, reason: string): ModelmartError {
  return new ModelmartError(422, `The file ${JSON.stringify(fileName)} could not be read: ${reason}. Nothing of it was indexed.`, { code: 'knowledge_file_unreadable', param: 'file' });
}

/** The kind of a file by its name, else by its content type (parameters such as charset ignored). */
export function knowledgeFileKind(fileName: string, contentType?: string): KnowledgeFileKind | undefined {
  const byExtension = kindsByExtension[extname(fileName).toLowerCase()];
  if (byExtension !== undefined) return byExtension;
  const mimeType = contentType?.split(';')[0]?.trim().toLowerCase();
  return mimeType === undefined ? undefined : kindsByMimeType[mimeType];
}

function decodeUtf8(fileName: string, bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/u, '');
  } catch {
    throw unreadableFile(fileName, 'it is not UTF-8 text');
  }
}

function htmlTitle(html: string): string | null {
  const match = /<title[^>]*>([^<]*)<\/title>/iu.exec(html);
  const title = match?.[1]?.replace(/\s+/gu, ' ').trim();
  return title === undefined || title === '' ? null : convertHtmlToText(title, { wordwrap: false });
}

export function htmlToPlainText(html: string): string {
  return convertHtmlToText(html, {
    wordwrap: false,
    selectors: [
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'img', format: 'skip' },
      { selector: 'script', format: 'skip' },
      { selector: 'style', format: 'skip' },
      { selector: 'nav', format: 'skip' },
    ],
  });
}

/** Splits one CSV line, honouring quoted fields with doubled quotes inside. */
function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const character = text[index];
    if (quoted) {
      if (character === '"' && text[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (character === '"') quoted = false;
      else field += character;
    } else if (character === '"') quoted = true;
    else if (character === ',') {
      row.push(field);
      field = '';
    } else if (character === '\n' || character === '\r') {
      if (character === '\r' && text[index + 1] === '\n') index += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += character;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((cells) => cells.some((cell) => cell.trim() !== ''));
}

/** Each row as a line "header: value; header: value", so a row found alone still says what its values are. */
function csvToText(text: string): string {
  const [header, ...rows] = csvRows(text);
  if (header === undefined) return '';
  if (rows.length === 0) return header.join(', ');
  return rows
    .map((cells) => cells.map((cell, column) => `${header[column]?.trim() || `column ${column + 1}`}: ${cell.trim()}`).join('; '))
    .join('\n');
}

async function pdfToText(fileName: string, bytes: Uint8Array): Promise<string> {
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  let pages: string[];
  try {
    const document = await getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, disableFontFace: true, useSystemFonts: false, verbosity: 0 }).promise;
    try {
      pages = [];
      for (let pageNumber = 1; pageNumber <= document.numPages; pageNumber += 1) {
        const page = await document.getPage(pageNumber);
        const content = await page.getTextContent();
        const lines: string[] = [];
        let line = '';
        for (const item of content.items) {
          if (!('str' in item)) continue;
          line += item.str;
          if (item.hasEOL) {
            lines.push(line);
            line = '';
          }
        }
        if (line !== '') lines.push(line);
        pages.push(lines.join('\n'));
      }
    } finally {
      await document.destroy();
    }
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'PasswordException') throw unreadableFile(fileName, 'the PDF is encrypted with a password');
    throw unreadableFile(fileName, `it is not a readable PDF (${(error as Error).message})`);
  }
  return pages.join('\n\n');
}

async function docxToText(fileName: string, bytes: Uint8Array): Promise<string> {
  try {
    const result = await mammoth.extractRawText({ buffer: Buffer.from(bytes) });
    return result.value;
  } catch (error) {
    throw unreadableFile(fileName, `it is not a readable Word document (${(error as Error).message})`);
  }
}

export async function extractDocumentText(fileName: string, bytes: Uint8Array, contentType?: string): Promise<ExtractedDocument> {
  const kind = knowledgeFileKind(fileName, contentType);
  if (kind === undefined) throw unsupportedFileType(fileName);
  let text: string;
  let title: string | null = null;
  switch (kind) {
    case 'pdf':
      text = await pdfToText(fileName, bytes);
      break;
    case 'docx':
      text = await docxToText(fileName, bytes);
      break;
    case 'html': {
      const html = decodeUtf8(fileName, bytes);
      title = htmlTitle(html);
      text = htmlToPlainText(html);
      break;
    }
    case 'csv':
      text = csvToText(decodeUtf8(fileName, bytes));
      break;
    case 'json': {
      const raw = decodeUtf8(fileName, bytes);
      try {
        text = JSON.stringify(JSON.parse(raw) as unknown, null, 2);
      } catch (error) {
        throw unreadableFile(fileName, `it is not valid JSON (${(error as Error).message})`);
      }
      break;
    }
    default:
      text = decodeUtf8(fileName, bytes);
  }
  if (text.trim() === '') throw unreadableFile(fileName, 'it contains no text');
  return { kind, mimeType: knowledgeMimeTypes[kind], title, text };
}
