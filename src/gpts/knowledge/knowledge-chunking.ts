// Splits a document's text into chunks of about `chunkTokens` tokens (gpt-tokenizer), each
// starting with about `overlapTokens` of the one before, cut at paragraph ends, else sentence
// ends, else between words: a passage read alone should still make sense.
import { countTokens } from 'gpt-tokenizer';

export interface ChunkingOptions {
  readonly chunkTokens: number;
  readonly overlapTokens: number;
}

export interface TextChunk {
  readonly text: string;
  readonly tokenCount: number;
}

interface Piece {
  readonly text: string;
  readonly tokens: number;
  /** Joined to the piece before by a blank line (a new paragraph) rather than a space. */
  readonly startsParagraph: boolean;
}

const paragraphBreak = /\n\s*\n/u;
const sentenceBreak = /(?<=[.!?;:])\s+|(?<=[。！？；])/u;
const wordBreak = /\s+/u;

/**
 * A paragraph too long for one chunk becomes its sentences; a sentence too long, runs of words
 * of about an eighth of a chunk (small enough to pack chunks well and to carry as overlap); a
 * word too long, runs of characters.
 */
function splitParagraph(paragraph: string, limit: number, into: Piece[]): void {
  let first = true;
  const push = (text: string, tokens: number): void => {
    into.push({ text, tokens, startsParagraph: first });
    first = false;
  };
  const wordRun = Math.max(8, Math.floor(limit / 8));
  for (const rawSentence of paragraph.split(sentenceBreak)) {
    const sentence = rawSentence.trim();
    if (sentence === '') continue;
    const tokens = countTokens(sentence);
    if (tokens <= limit) {
      push(sentence, tokens);
      continue;
    }
    let run: string[] = [];
    let runTokens = 0;
    const flush = (): void => {
      if (run.length > 0) push(run.join(' '), countTokens(run.join(' ')));
      run = [];
      runTokens = 0;
    };
    for (const word of sentence.split(wordBreak)) {
      const wordTokens = countTokens(word);
      if (wordTokens > wordRun) {
        flush();
        for (const piece of splitByCharacters(word, Math.min(limit, wordRun))) push(piece.text, piece.tokens);
        continue;
      }
      if (runTokens + wordTokens > wordRun) flush();
      run.push(word);
      runTokens += wordTokens;
    }
    flush();
  }
}

/** A run without spaces longer than a chunk (a long CJK paragraph, a base64 blob): cut by length. */
function splitByCharacters(text: string, limit: number): { text: string; tokens: number }[] {
  const pieces: { text: string; tokens: number }[] = [];
  const characters = [...text];
  let step = limit;
  for (let start = 0; start < characters.length; start += step) {
    let slice = characters.slice(start, start + step).join('');
    let tokens = countTokens(slice);
    while (tokens > limit && step > 1) {
      step = Math.max(1, Math.floor(step * 0.75));
      slice = characters.slice(start, start + step).join('');
      tokens = countTokens(slice);
    }
    pieces.push({ text: slice, tokens });
  }
  return pieces;
}

function joinPieces(pieces: readonly Piece[]): string {
  return pieces.map((piece, index) => (index === 0 ? piece.text : `${piece.startsParagraph ? '\n\n' : piece.text.length > 0 && /^[\u3040-\u30ff\u3400-\u9fff]/u.test(piece.text) ? '' : ' '}${piece.text}`)).join('');
}

export function chunkText(text: string, options: ChunkingOptions): TextChunk[] {
  const limit = options.chunkTokens;
  const overlap = Math.min(options.overlapTokens, Math.floor(limit / 2));
  const pieces: Piece[] = [];
  for (const paragraph of text.replace(/\r\n?/gu, '\n').split(paragraphBreak)) {
    const trimmed = paragraph.trim();
    if (trimmed === '') continue;
    const tokens = countTokens(trimmed);
    if (tokens <= limit) pieces.push({ text: trimmed, tokens, startsParagraph: true });
    else splitParagraph(trimmed, limit, pieces);
  }

  const chunks: TextChunk[] = [];
  let current: Piece[] = [];
  let freshPieces = 0;
  const total = (): number => current.reduce((sum, piece) => sum + piece.tokens, 0);
  const emit = (): void => {
    const joined = joinPieces(current);
    chunks.push({ text: joined, tokenCount: countTokens(joined) });
    const carried: Piece[] = [];
    let carriedTokens = 0;
    for (let index = current.length - 1; index >= 0; index -= 1) {
      const piece = current[index];
      if (piece === undefined || carriedTokens + piece.tokens > overlap) break;
      carried.unshift(piece);
      carriedTokens += piece.tokens;
    }
    current = carried;
    freshPieces = 0;
  };
  for (const piece of pieces) {
    if (freshPieces > 0 && total() + piece.tokens > limit) emit();
    while (current.length > 0 && total() + piece.tokens > limit) current.shift();
    current.push(piece);
    freshPieces += 1;
  }
  if (freshPieces > 0) emit();
  return chunks;
}
