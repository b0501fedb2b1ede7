// What a GPT's knowledge adds to a conversation: the query (the last user message's text), the
// numbered passages put before the conversation, and the citations an answer makes by writing
// `[n]` after a statement, turned into url_citation annotations with their character offsets.
import type { ChatMessage } from '../../api/index.js';
import type { RetrievedPassage } from '../gpt-contracts.js';

/** The text of the last user message: what the knowledge is searched for. */
export function lastUserText(messages: readonly ChatMessage[]): string {
  for (let index = messages.length - 1; index >= 0; index -= 1) {
    const message = messages[index];
    if (message?.role !== 'user') continue;
    if (typeof message.content === 'string') return message.content;
    return message.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('\n');
  }
  return '';
}

/** The system message that hands the model its passages, numbered from 1, and asks it to cite them. */
export function knowledgeMessage(passages: readonly RetrievedPassage[]): ChatMessage {
  const blocks = passages.map((passage, index) => {
    const date = passage.date === null ? '' : `, ${passage.date}`;
    return `[${index + 1}] ${passage.title} (${passage.source}${date})\n${passage.text.trim()}`;
  });
  return {
    role: 'system',
    content:
      'Passages from your knowledge that may help answer the user. When you use one, cite it with its number in square brackets right after the statement, like [1]. ' +
      'Do not cite a number that is not listed.\n\n' +
      blocks.join('\n\n'),
  };
}

/** A cited passage in the response's extension field. */
export interface GptCitation {
  readonly index: number;
  readonly title: string;
  readonly source: string;
  readonly date: string | null;
}

/** One `[n]` marker in the answer, where it stands and which passage it names. */
export interface CitationMarker {
  readonly passage: RetrievedPassage;
  readonly index: number;
  readonly startIndex: number;
  readonly endIndex: number;
}

const markerPattern = /\[(\d{1,3})\]/g;

/** The markers in the answer that name a passage that was given; other brackets are left alone. */
export function findCitationMarkers(answer: string, passages: readonly RetrievedPassage[]): CitationMarker[] {
  const markers: CitationMarker[] = [];
  if (passages.length === 0) return markers;
  for (const match of answer.matchAll(markerPattern)) {
    const index = Number(match[1]);
    const passage = passages[index - 1];
    if (passage === undefined || index < 1) continue;
    markers.push({ passage, index, startIndex: match.index, endIndex: match.index + match[0].length });
  }
  return markers;
}

/** The passages cited at least once, in the order of their numbers. */
export function citedPassages(markers: readonly CitationMarker[]): GptCitation[] {
  const byIndex = new Map<number, GptCitation>();
  for (const marker of markers) {
    byIndex.set(marker.index, { index: marker.index, title: marker.passage.title, source: marker.passage.source, date: marker.passage.date });
  }
  return [...byIndex.values()].sort((left, right) => left.index - right.index);
}

/** Chat Completions' annotation shape (as OpenAI's search models give it). */
export interface ChatUrlCitation {
  readonly type: 'url_citation';
  readonly url_citation: { readonly title: string; readonly url: string; readonly start_index: number; readonly end_index: number };
}

/** The Responses API's output_text annotation shape. */
export interface ResponsesUrlCitation {
  readonly type: 'url_citation';
  readonly title: string;
  readonly url: string;
  readonly start_index: number;
  readonly end_index: number;
}

export function chatAnnotations(markers: readonly CitationMarker[]): ChatUrlCitation[] {
  return markers.map((marker) => ({
    type: 'url_citation',
    url_citation: { title: marker.passage.title, url: marker.passage.source, start_index: marker.startIndex, end_index: marker.endIndex },
  }));
}

export function responsesAnnotations(markers: readonly CitationMarker[]): ResponsesUrlCitation[] {
  return markers.map((marker) => ({ type: 'url_citation', title: marker.passage.title, url: marker.passage.source, start_index: marker.startIndex, end_index: marker.endIndex }));
}
