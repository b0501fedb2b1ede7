// The one usage event each request reports (billing and metrics consume it), and the helpers that
// fill it from the upstream's usage or, when the upstream sent none, from counting tokens.
import { z } from 'zod';
import type { ChatCompletionRequest, Usage } from '../api/index.js';
import { countPromptTokens, countTextTokens, usageFromCounts } from '../api/token-counting.js';
import type { StreamPart } from '../providers/provider-contract.js';

export const usageEventSchema = z.object({
  requestId: z.string(),
  /** The model name the client asked for (a route name or `<provider>/<model>`). */
  publicModel: z.string(),
  /** The deployment that answered, or the last one tried (the first planned if none was). */
  providerId: z.string(),
  upstreamModel: z.string(),
  promptTokens: z.number().int().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
  cachedTokens: z.number().int().nonnegative(),
  reasoningTokens: z.number().int().nonnegative(),
  /** True when the counts were made here with gpt-tokenizer because the upstream sent none. */
  estimated: z.boolean(),
  latencyMs: z.number().nonnegative(),
  timeToFirstTokenMs: z.number().nonnegative().optional(),
  status: z.enum(['ok', 'error', 'cancelled']),
  errorCode: z.string().optional(),
  /** Upstream calls made, retries included. */
  attempts: z.number().int().nonnegative(),
});
export type UsageEvent = z.infer<typeof usageEventSchema>;

export type UsageListener = (event: UsageEvent) => void | Promise<void>;

export interface TokenCounts {
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly cachedTokens: number;
  readonly reasoningTokens: number;
  readonly estimated: boolean;
}

export const noTokens: TokenCounts = { promptTokens: 0, completionTokens: 0, cachedTokens: 0, reasoningTokens: 0, estimated: false };

export function tokenCountsFromUsage(usage: Usage): TokenCounts {
  return {
    promptTokens: usage.prompt_tokens,
    completionTokens: usage.completion_tokens,
    cachedTokens: usage.prompt_tokens_details?.cached_tokens ?? 0,
    reasoningTokens: usage.completion_tokens_details?.reasoning_tokens ?? 0,
    estimated: false,
  };
}

/**
 * Watches a stream's parts: keeps the upstream's usage when one arrives, and otherwise the
 * streamed text, so the usage of what was produced can be counted at the end (also when the
 * client leaves early). Pieces are kept as they came; they are joined and counted only if needed.
 */
export class StreamUsageMeter {
  private upstreamUsage: Usage | undefined;
  private readonly pieces: string[] = [];

  observe(part: StreamPart): void {
    if (part.type === 'usage') {
      this.upstreamUsage = part.usage;
      return;
    }
    const chunk = part.chunk;
    if (chunk.usage !== undefined && chunk.usage !== null) this.upstreamUsage = chunk.usage;
    for (const choice of chunk.choices) {
      const delta = choice.delta;
      if (typeof delta.content === 'string' && delta.content !== '') this.pieces.push(delta.content);
      if (typeof delta.refusal === 'string' && delta.refusal !== '') this.pieces.push(delta.refusal);
      if (delta.tool_calls !== undefined) {
        for (const call of delta.tool_calls) {
          if (call.function?.name !== undefined) this.pieces.push(call.function.name);
          if (call.function?.arguments !== undefined) this.pieces.push(call.function.arguments);
        }
      }
    }
  }

  get hasUpstreamUsage(): boolean {
    return this.upstreamUsage !== undefined;
  }

  /** The upstream's usage if it sent one, else a count of the prompt and the streamed text. */
  usage(request: Pick<ChatCompletionRequest, 'messages' | 'tools'>, knownPromptTokens?: number): Usage {
    if (this.upstreamUsage !== undefined) return this.upstreamUsage;
    return usageFromCounts(knownPromptTokens ?? countPromptTokens(request), countTextTokens(this.pieces.join('')));
  }
}
