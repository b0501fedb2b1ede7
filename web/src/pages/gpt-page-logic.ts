// Pure logic behind the GPT page and its chat panel: the request that calls a GPT (or, for the
// builder's preview, its draft), the citations of an answer, the price that costs it, and how
// review and report failures read.
import { ApiError } from '../api/api-client';
import type { ModelCard, PriceVersion } from '../api/api-types';
import type { GptCitation, RatingSummary } from '../api/gpt-types';
import { costOfTokens } from '../api/store-query';
import type { ChatTurn } from './playground-logic';

/** The model name that calls a GPT: its latest version, or its unpublished draft (editors only). */
export function gptModelName(slug: string, target: 'published' | 'draft' = 'published'): string {
  return target === 'draft' ? `gpt:${slug}@draft` : `gpt:${slug}`;
}

export function gptChatRequest(model: string, turns: readonly ChatTurn[]): Record<string, unknown> {
  return {
    model,
    messages: turns.map((turn) => ({ role: turn.role, content: turn.content })),
    stream: true,
    stream_options: { include_usage: true },
  };
}

export function playgroundHrefFor(slug: string): string {
  return `/playground?${new URLSearchParams({ model: gptModelName(slug) }).toString()}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/**
 * The citations a streamed chunk carries: the `modelmart` extension's (with titles, sources and
 * dates) when present, else the `url_citation` annotations of its delta. Empty for most chunks.
 */
export function citationsOfChunk(chunk: unknown): GptCitation[] {
  if (!isRecord(chunk)) return [];
  const extension = chunk.modelmart;
  if (isRecord(extension) && Array.isArray(extension.citations)) {
    return extension.citations.filter(isRecord).map((citation, position) => ({
      index: typeof citation.index === 'number' ? citation.index : position + 1,
      title: text(citation.title) ?? '',
      source: text(citation.source) ?? '',
      date: text(citation.date),
    }));
  }
  const found: GptCitation[] = [];
  for (const choice of Array.isArray(chunk.choices) ? chunk.choices.filter(isRecord) : []) {
    const delta = choice.delta;
    if (!isRecord(delta) || !Array.isArray(delta.annotations)) continue;
    for (const annotation of delta.annotations.filter(isRecord)) {
      const citation = annotation.url_citation;
      if (annotation.type !== 'url_citation' || !isRecord(citation)) continue;
      const url = text(citation.url) ?? '';
      if (found.some((existing) => existing.source === url)) continue;
      found.push({ index: found.length + 1, title: text(citation.title) ?? url, source: url, date: null });
    }
  }
  return found;
}

/** The cost of an answer at the base model's price, or null when no catalogue card prices it. */
export function answerCost(price: PriceVersion | null | undefined, promptTokens: number, completionTokens: number): { readonly amount: number; readonly currency: PriceVersion['currency'] } | null {
  if (price === null || price === undefined) return null;
  return { amount: costOfTokens(price, promptTokens, completionTokens), currency: price.currency };
}

/** The catalogue card a base model names, for a link to its page: by id, route or `<provider>/<model>`. */
export function cardForBaseModel(cards: readonly Pick<ModelCard, 'id' | 'deployments'>[], baseModel: string): string | null {
  for (const card of cards) {
    if (card.id === baseModel) return card.id;
    if (card.deployments.some((deployment) => deployment.route === baseModel || (deployment.provider !== undefined && deployment.model !== undefined && `${deployment.provider}/${deployment.model}` === baseModel))) return card.id;
  }
  return null;
}

/** Stars as symbols with the number in words beside them, so the rating is not only a picture. */
export function starsText(stars: number): string {
  const whole = Math.max(0, Math.min(5, Math.round(stars)));
  return `${'★'.repeat(whole)}${'☆'.repeat(5 - whole)}`;
}

/** Each star's share of the ratings, 5 stars first, as whole percentages. */
export function histogramRows(summary: RatingSummary): { readonly stars: number; readonly count: number; readonly percent: number }[] {
  return [5, 4, 3, 2, 1].map((stars) => {
    const count = summary.histogram[String(stars) as keyof RatingSummary['histogram']] ?? 0;
    return { stars, count, percent: summary.count === 0 ? 0 : Math.round((count / summary.count) * 100) };
  });
}

/** Whether a failed review means the reader has not used the GPT yet (403 gpt_not_used). */
export function isNotUsedError(error: unknown): boolean {
  return error instanceof ApiError && error.code === 'gpt_not_used';
}

/** A review's body for the API, or a message key naming what is wrong with the form. */
export function reviewBody(stars: number, review: string): { readonly body: { readonly stars: number; readonly review?: string } } | { readonly problem: 'gpts.review.pickStars' | 'gpts.review.tooLong' } {
  if (!Number.isInteger(stars) || stars < 1 || stars > 5) return { problem: 'gpts.review.pickStars' };
  const trimmed = review.trim();
  if (trimmed.length > 2_000) return { problem: 'gpts.review.tooLong' };
  return { body: trimmed === '' ? { stars } : { stars, review: trimmed } };
}
