// The estimate printed before a run starts: prompt tokens counted as the gateway counts them,
// completions at an expected length and at most max_tokens, × the catalogue price.
import { countMessageTokens, countTextTokens, tokensPerReplyPriming } from '../../api/index.js';
import type { BenchmarkName } from '../score/benchmark-scorer.js';
import type { RunItem } from './evaluation-item-builder.js';
import { costOf, type ModelPrice } from './evaluation-pricing.js';

export interface CostEstimate {
  readonly items: number;
  readonly promptTokens: number;
  /** Completion tokens expected (typical answer length, capped by max_tokens). */
  readonly completionTokens: number;
  readonly maximumCompletionTokens: number;
  /** Micro-units; 0 when the model has no known price. */
  readonly cost: number;
  readonly maximumCost: number;
  readonly currency: string | null;
}

/** Typical answer lengths of instruction-tuned models, in tokens, for the estimate only. */
const typicalAnswerTokens: Readonly<Record<BenchmarkName, number>> = { gsm8k: 150, gsm8k_cot: 150, mmlu: 8, humaneval: 150, math: 400, math500: 400 };

export function estimateCost(benchmark: BenchmarkName, items: readonly RunItem[], price: ModelPrice | null): CostEstimate {
  // Few-shot turns repeat in every prompt of a benchmark: count each distinct message once.
  const messageTokens = new Map<string, number>();
  let promptTokens = 0;
  let completionTokens = 0;
  let maximumCompletionTokens = 0;
  for (const item of items) {
    const { prompt, messages = [] } = item.request.body;
    if (prompt !== undefined) promptTokens += countTextTokens(prompt);
    else promptTokens += tokensPerReplyPriming;
    for (const message of messages) {
      const memoKey = `${message.role}\u0000${message.content}`;
      let tokens = messageTokens.get(memoKey);
      if (tokens === undefined) {
        tokens = countMessageTokens(message);
        messageTokens.set(memoKey, tokens);
      }
      promptTokens += tokens;
    }
    completionTokens += Math.min(typicalAnswerTokens[benchmark], item.request.body.max_tokens);
    maximumCompletionTokens += item.request.body.max_tokens;
  }
  return {
    items: items.length,
    promptTokens,
    completionTokens,
    maximumCompletionTokens,
    cost: price === null ? 0 : costOf(price, promptTokens, completionTokens) + price.perRequest * Math.max(0, items.length - 1),
    maximumCost: price === null ? 0 : costOf(price, promptTokens, maximumCompletionTokens) + price.perRequest * Math.max(0, items.length - 1),
    currency: price?.currency ?? null,
  };
}
