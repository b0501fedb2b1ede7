// Which models the compare page shows: the ids in its address, or the comparison xAI
// published with Grok-1 when none are given. A reader builds selections of up to four.
export const grokAnnouncementIds = ['grok-1', 'gpt-3.5-turbo', 'gpt-4', 'llama-2-70b', 'claude-2'] as const;
export const maximumChosenModels = 4;

export function parseCompareIds(search: string): string[] {
  const text = new URLSearchParams(search).get('ids');
  if (text === null) return [];
  const ids: string[] = [];
  for (const part of text.split(',')) {
    const id = part.trim();
    if (id !== '' && !ids.includes(id)) ids.push(id);
  }
  return ids;
}

/** The ids to show: the chosen ones, or the Grok-1 announcement's five when none are chosen. */
export function idsToShow(chosen: readonly string[]): readonly string[] {
  return chosen.length === 0 ? grokAnnouncementIds : chosen;
}

export function canAdd(chosen: readonly string[], id: string): boolean {
  return chosen.length < maximumChosenModels && !chosen.includes(id);
}

export function compareHref(ids: readonly string[]): string {
  return ids.length === 0 ? '/compare' : `/compare?ids=${ids.map((id) => encodeURIComponent(id)).join(',')}`;
}
