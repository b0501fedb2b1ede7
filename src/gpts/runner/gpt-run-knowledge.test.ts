// Citations: which `[n]` markers name a given passage, where they stand, and the passages cited.
import { describe, expect, it } from 'vitest';
import type { RetrievedPassage } from '../gpt-contracts.js';
import { chatAnnotations, citedPassages, findCitationMarkers, knowledgeMessage, lastUserText, responsesAnnotations } from './gpt-run-knowledge.js';

const passage = (index: number, date: string | null = '2026-01-0' + String(index)): RetrievedPassage => ({
  chunkId: `chk_${index}`,
  documentId: `doc_${index}`,
  text: `Passage ${index} text.`,
  title: `Title ${index}`,
  source: `https://example.test/${index}`,
  date,
  score: 1 / index,
});

describe('GPT citations', () => {
  const passages = [passage(1), passage(2, null)];

  it('annotates only markers that name a given passage, at their character offsets', () => {
    const answer = 'Sunny [1]. Warm [2][1]. Not a passage [3], nor [0], nor [x].';
    const markers = findCitationMarkers(answer, passages);
    expect(markers.map((marker) => [marker.index, answer.slice(marker.startIndex, marker.endIndex)])).toEqual([
      [1, '[1]'],
      [2, '[2]'],
      [1, '[1]'],
    ]);
    expect(chatAnnotations(markers)[0]).toEqual({ type: 'url_citation', url_citation: { title: 'Title 1', url: 'https://example.test/1', start_index: 6, end_index: 9 } });
    expect(responsesAnnotations(markers)[1]).toEqual({ type: 'url_citation', title: 'Title 2', url: 'https://example.test/2', start_index: 16, end_index: 19 });
    expect(citedPassages(markers)).toEqual([
      { index: 1, title: 'Title 1', source: 'https://example.test/1', date: '2026-01-01' },
      { index: 2, title: 'Title 2', source: 'https://example.test/2', date: null },
    ]);
    expect(findCitationMarkers(answer, [])).toEqual([]);
  });

  it('numbers the passages for the model with source and date, and searches with the last user text', () => {
    const message = knowledgeMessage(passages);
    expect(message.content).toContain('[1] Title 1 (https://example.test/1, 2026-01-01)\nPassage 1 text.');
    expect(message.content).toContain('[2] Title 2 (https://example.test/2)\nPassage 2 text.');
    expect(
      lastUserText([
        { role: 'user', content: 'first' },
        { role: 'assistant', content: 'answer' },
        { role: 'user', content: [{ type: 'text', text: 'second' }, { type: 'image_url', image_url: { url: 'https://example.test/a.png' } }, { type: 'text', text: 'part' }] },
      ]),
    ).toBe('second\npart');
  });
});
